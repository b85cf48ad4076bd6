/**
 * loopdeck: the orchestrator's command line.
 *   loopdeck run [--config file.toml] [--name NAME] [--<setting> VALUE ...]   start, or resume an existing run
 *   loopdeck status <run> | promote <run> <iteration> | revert <run> | serve
 * Exit codes: 0 ok, 1 the run failed, 2 bad usage or configuration.
 */
import { existsSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ApiError, type SettingsChange } from '../../shared/api';
import type { BestModelInfo } from '../../shared/stats';
import { bestProgress, bestProgressText } from '../../shared/bestProgress';
import { CONFIG_FIELDS, flagName, type LoopConfigInput } from '../../shared/config/fields';
import { configChanges, describeChanges } from '../../shared/config/changes';
import { modelPlayerId } from '../../shared/players';
import { limitName, limitsReached, summaryProgress } from '../../shared/runLimits';
import { fitRunRatings, ratingsProjection } from '../../shared/runRatings';
import { CliProgress, formatDuration } from './cliProgress';
import { ConfigValidationError, defaultRunsDir, resolveConfig } from '../orchestrator/config';
import { forkRun } from '../orchestrator/service/fork';
import { cutJournal, diagnoseJournal } from '../orchestrator/state/journalRepair';
import { JournalCorruptError } from '../orchestrator/state/journal';
import { Orchestrator } from '../orchestrator/orchestrator';
import { RunFailedError } from '../orchestrator/sessionEnd';
import { defaultActor } from '../orchestrator/service/defaultActor';
import { RunPaths } from '../orchestrator/state/runPaths';
import { RunManager } from '../orchestrator/service/runManager';

class UsageError extends Error {}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

function configFlags(command: Command): Command {
  for (const spec of CONFIG_FIELDS) {
    if (spec.kind === 'boolean') {
      command.addOption(new Option(flagName(spec.key), spec.help));
      command.addOption(new Option(`--no-${flagName(spec.key).slice(2)}`, `do not: ${spec.help.toLowerCase()}`));
    } else {
      command.addOption(new Option(`${flagName(spec.key)} <value>`, spec.help));
    }
  }
  return command;
}

function flagsFrom(options: Record<string, unknown>): LoopConfigInput {
  const flags: LoopConfigInput = {};
  for (const spec of CONFIG_FIELDS) if (options[spec.key] !== undefined) flags[spec.key] = options[spec.key];
  return flags;
}

async function runCommand(options: Record<string, unknown>): Promise<number> {
  const flags = flagsFrom(options);
  const resolved = await resolveConfig({ file: options.config as string | undefined, env: process.env, flags });
  const { config } = resolved;
  const paths = new RunPaths(config.runsDir, config.name);
  let orchestrator: Orchestrator;
  if (existsSync(paths.events)) {
    orchestrator = await Orchestrator.open(config.runsDir, config.name);
    for (const repair of orchestrator.repairs) process.stderr.write(`repaired: ${repair}\n`);
    // Every setting given (flag, environment, file) applies from the next iteration; none is ignored.
    const given = CONFIG_FIELDS.filter((f) => resolved.sources[f.key] !== 'default' && f.key !== 'name' && f.key !== 'runsDir');
    if (given.length) {
      let change: SettingsChange;
      try {
        change = await orchestrator.settings.change(Object.fromEntries(given.map((f) => [f.key, config[f.key]])), defaultActor('cli'));
      } catch (error) {
        await orchestrator.close();
        if (error instanceof ApiError && error.code === 'invalid_config') throw new UsageError(error.message);
        throw error;
      }
      const unchanged = given.filter((f) => !(f.key in change.changes)).map((f) => f.key);
      if (Object.keys(change.changes).length) process.stdout.write(`changed from iteration ${change.from_iteration}: ${describeChanges(change.changes)}\n`);
      if (unchanged.length) process.stdout.write(`unchanged (already so): ${unchanged.join(', ')}\n`);
    }
    const { summary, state } = orchestrator.snapshot();
    const setting = limitsReached(orchestrator.config, state.iterations)[0];
    process.stdout.write(
      `${setting ? 'Run' : 'Resuming run'} "${config.name}" in ${paths.root}: ${summaryProgress(summary)}${setting ? ` (its ${limitName(setting)} is reached: raise ${flagName(setting)} to continue)` : ''}\n`,
    );
    // Nothing to run: no session is started (and none journaled).
    if (setting) {
      await orchestrator.close();
      return EXIT_OK;
    }
  } else {
    orchestrator = await Orchestrator.create(config);
    const limits = `${config.iterations} iterations${config.timeBudgetMinutes > 0 ? ` or ${config.timeBudgetMinutes} minutes, whichever comes first` : ''}`;
    process.stdout.write(`Starting run "${config.name}" (${config.game}, ${limits}) in ${paths.root}\n`);
    const chosen = (Object.keys(resolved.sources) as (keyof typeof config)[]).filter((k) => resolved.sources[k] !== 'default' && k !== 'name');
    if (chosen.length) process.stdout.write(`settings: ${chosen.map((k) => `${k}=${JSON.stringify(config[k])} (${resolved.sources[k]})`).join(', ')}; the rest are ${config.game} defaults\n`);
  }
  return runInForeground(orchestrator);
}

/** Drives a run in this terminal until it completes, fails or Ctrl-C stops it; always releases it. */
async function runInForeground(orchestrator: Orchestrator): Promise<number> {
  const { config, paths } = orchestrator;
  const progress = new CliProgress(process.stdout, () => orchestrator.config, orchestrator.snapshot().summary.minutes_done);
  orchestrator.onEvent((event) => progress.handle(event));

  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(`\n${signal}: stopping gracefully (the run can be resumed); press Ctrl-C again to force\n`);
      void orchestrator.stop();
    } else {
      process.stderr.write('\nforced exit: the interrupted iterations will be redone on resume\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const started = Date.now();
    const outcome = await orchestrator.run();
    const snapshot = orchestrator.snapshot();
    process.stdout.write(
      `${outcome === 'completed' ? 'Finished' : 'Stopped'} after ${formatDuration((Date.now() - started) / 1000)}: ${summaryProgress(snapshot.summary)}, best model iteration ${snapshot.state.best?.iteration ?? '--'} (${paths.bestModel})\n`,
    );
    if (outcome === 'stopped') process.stdout.write(`Resume with: loopdeck run --name ${config.name}${config.runsDir !== 'runs' ? ` --runs-dir ${config.runsDir}` : ''}\n`);
    return EXIT_OK;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await orchestrator.close();
  }
}

async function forkCommand(parent: string, iterationText: string, options: Record<string, unknown>): Promise<number> {
  const iteration = Number(iterationText);
  if (!Number.isInteger(iteration) || iteration < 0) throw new UsageError(`<iteration> must be a whole number (got "${iterationText}")`);
  if (typeof options.name !== 'string') throw new UsageError('--name <new> is required: the branch is a new run');
  const runsDir = (options.runsDir as string | undefined) ?? defaultRunsDir();
  const changes = flagsFrom(options);
  delete changes.name;
  delete changes.runsDir;
  let orchestrator: Orchestrator;
  try {
    orchestrator = await forkRun(runsDir, parent, iteration, { name: options.name, withReplay: options.withReplay === true, changes, by: defaultActor('cli') });
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'invalid_config' || error.code === 'conflict')) throw new UsageError(error.message);
    throw error;
  }
  const parentConfig = (await new RunManager({ runsDir, surface: 'cli' }).getRun(parent)).state.config;
  const changed = describeChanges(configChanges({ ...parentConfig, name: orchestrator.config.name, runsDir: orchestrator.config.runsDir }, orchestrator.config));
  process.stdout.write(
    `Branched run "${orchestrator.name}" from "${parent}" at iteration ${iteration}${options.withReplay ? ', with its replay window' : ''}${changed ? `; changed: ${changed}` : ''}\n`,
  );
  return runInForeground(orchestrator);
}

async function repairCommand(name: string, options: { runsDir: string; yes?: boolean }): Promise<number> {
  const paths = new RunPaths(options.runsDir, name);
  if (!existsSync(paths.events)) throw new UsageError(`no run named "${name}" in ${options.runsDir}`);
  const { corrupt } = await diagnoseJournal(paths);
  if (!corrupt) {
    process.stdout.write(`the journal of "${name}" reads cleanly; nothing to repair\n`);
    return EXIT_OK;
  }
  const lines = [`${paths.events}: line ${corrupt.line} is corrupt (${corrupt.detail}):`];
  for (const { line, text } of corrupt.context) lines.push(`${line === corrupt.line ? '>' : ' '} ${String(line).padStart(6)}  ${text}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const lost = corrupt.linesAfter + 1;
  if (!options.yes) {
    process.stdout.write(
      `Nothing changed. "loopdeck repair ${name} --yes" keeps a backup of the journal and cuts it before line ${corrupt.line} (${lost} line${lost === 1 ? '' : 's'} from there on), then rebuilds the projections.\n`,
    );
    return EXIT_USAGE;
  }
  const { backup, repairs } = await cutJournal(paths, corrupt.line);
  process.stdout.write(`kept the whole journal in ${backup}; cut ${lost} line${lost === 1 ? '' : 's'} from line ${corrupt.line}\n`);
  for (const r of repairs) process.stdout.write(`${r}\n`);
  process.stdout.write(`"loopdeck run --name ${name}" resumes it at its first unfinished iteration\n`);
  return EXIT_OK;
}

async function statusCommand(name: string, options: { runsDir: string; json?: boolean }): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'cli' });
  const snapshot = await manager.getRun(name);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
    return EXIT_OK;
  }
  const { summary: s, state: run } = snapshot;
  const fit = fitRunRatings(run.rated);
  const bestRating = run.best ? fit.players.find((p) => p.id === modelPlayerId(run.best!.iteration)) : undefined;
  const bestAccuracy = run.best ? run.evaluations.find((e) => e.iteration === run.best!.iteration)?.accuracy : undefined;
  const strength = [
    bestRating ? `rating ${Math.round(bestRating.elo)} Elo (95%: ${Math.round(bestRating.elo_low)} to ${Math.round(bestRating.elo_high)}; random = 0)` : null,
    bestAccuracy ? `accuracy ${(bestAccuracy.rate * 100).toFixed(1)}% of ${bestAccuracy.positions} ${bestAccuracy.set} positions` : null,
  ].filter(Boolean);
  const lines = [
    `run ${s.name} (${s.game}): ${s.status}, ${summaryProgress(s)}`,
    `best model: ${run.best ? `iteration ${run.best.iteration} (${run.best.reason} by ${run.best.by} at ${run.best.promoted_at})${strength.length ? `; ${strength.join(', ')}` : ''}` : 'none yet'}`,
  ];
  const gate = bestProgressText(bestProgress(run.evaluations, fit));
  if (gate) lines.push(`gate: ${gate}`);
  for (const it of run.iterations.slice(-10)) {
    const ev = run.evaluations.find((e) => e.iteration === it.iteration);
    lines.push(
      `  iter ${String(it.iteration).padStart(4)}  ${formatDuration(it.total_time).padStart(7)}  loss ${it.final_loss?.toFixed(3) ?? '--'}  vs best ${ev?.vs_champion ? ev.vs_champion.score.toFixed(2) : '--'}  vs random ${ev?.vs_random ? ev.vs_random.win_rate.toFixed(2) : '--'}${it.promoted ? '  promoted' : ''}`,
    );
  }
  if (run.error) lines.push(`last error: ${run.error.message}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

async function listCommand(options: { runsDir: string; json?: boolean }): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'cli' });
  const runs = await manager.listRuns();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    return EXIT_OK;
  }
  if (runs.length === 0) {
    process.stdout.write(`no runs in ${options.runsDir}\n`);
    return EXIT_OK;
  }
  const rows = runs.map((r) => [
    r.name,
    r.game,
    r.status,
    summaryProgress(r),
    r.best_iteration === null ? '-' : String(r.best_iteration),
    r.updated_at ? r.updated_at.replace('T', ' ').slice(0, 19) : '-',
    r.parent ? `${r.parent.run}@${r.parent.iteration}` : '',
  ]);
  const header = ['run', 'game', 'state', 'progress', 'best', 'last activity (UTC)', 'branched from'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows])
    process.stdout.write(
      `${row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}\n`,
    );
  return EXIT_OK;
}

async function stopCommand(name: string, options: { runsDir: string }): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'cli' });
  const before = (await manager.getRun(name)).summary;
  if (before.status !== 'running' && before.status !== 'stopping') {
    process.stdout.write(`run "${name}" is not running (${before.status})\n`);
    return EXIT_OK;
  }
  await manager.stopRun(name);
  process.stdout.write(`asked the process driving "${name}" to stop: it stops its children gracefully; resume with "loopdeck run --name ${name}"\n`);
  return EXIT_OK;
}

async function ratingsCommand(name: string, options: { runsDir: string; json?: boolean }): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'cli' });
  const { state: run, summary } = await manager.getRun(name);
  const projection = ratingsProjection(fitRunRatings(run.rated), summary.updated_at);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(projection, null, 2)}\n`);
    return EXIT_OK;
  }
  if (projection.players.length === 0) {
    process.stdout.write(
      projection.disconnected.length
        ? `no ratings: ${projection.disconnected.join(', ')} have no chain of games to the random player\n`
        : `no rated games in run "${name}" yet: ratings come with its first evaluation\n`,
    );
    return EXIT_OK;
  }
  const best = run.best?.iteration;
  const accuracy = new Map(run.evaluations.filter((e) => e.accuracy).map((e) => [e.iteration, e.accuracy!.rate]));
  const rows = [...projection.players].sort((a, b) => b.elo - a.elo);
  const lines = [`ratings of run "${name}": Bradley-Terry over ${projection.games} games, Elo with 95% intervals, random = 0, first-move advantage ${projection.first_move_elo} Elo`];
  lines.push(`  ${'player'.padEnd(14)} ${'Elo'.padStart(6)}  ${'95% interval'.padEnd(15)} ${'games'.padStart(6)}  accuracy`);
  for (const p of rows) {
    const label = `${p.id}${p.iteration !== undefined && p.iteration === best ? ' *' : ''}`;
    const acc = p.iteration !== undefined && accuracy.has(p.iteration) ? `${(accuracy.get(p.iteration)! * 100).toFixed(1)}%` : '';
    lines.push(`  ${label.padEnd(14)} ${String(Math.round(p.elo)).padStart(6)}  ${`${Math.round(p.elo_low)} to ${Math.round(p.elo_high)}`.padEnd(15)} ${String(p.games).padStart(6)}  ${acc}`);
  }
  if (best !== undefined) lines.push('  * the best model');
  if (projection.disconnected.length) lines.push(`not rated (no chain of games to random): ${projection.disconnected.join(', ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

async function bestCommand(name: string, iteration: string | null, options: { runsDir: string }): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'cli' });
  let best: BestModelInfo;
  if (iteration === null) {
    best = await manager.revert(name);
  } else {
    const n = Number(iteration);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`<iteration> must be a whole number from 1 (got "${iteration}")`);
    best = await manager.promote(name, n);
  }
  process.stdout.write(`best model of "${name}" is now iteration ${best.iteration} (${best.reason} by ${best.by} at ${best.promoted_at})\n`);
  return EXIT_OK;
}

async function serveCommand(options: { host: string; port: string; runsDir: string; allowCommands?: boolean }): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number from 0 to 65535 (got "${options.port}")`);
  const { serveFromCli } = await import('../server/serve');
  return serveFromCli({ host: options.host, port, runsDir: options.runsDir, allowCommands: options.allowCommands === true });
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('loopdeck')
    .description('Loopdeck: run and watch AlphaZero-style self-play training')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const wrap =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      setExit(await fn(...args));

  configFlags(
    program
      .command('run')
      .description('start a run, or continue one of that name with any settings given (defaults: tic-tac-toe into ./runs/)')
      .option('--config <file>', 'TOML file of settings (camelCase keys, e.g. episodesPerIteration = 100)'),
  ).action(wrap((options: Record<string, unknown>) => runCommand(options)));

  program
    .command('status')
    .argument('<run>', 'run name')
    .option('--runs-dir <dir>', 'folder of runs', defaultRunsDir())
    .option('--json', 'print the whole run snapshot as JSON')
    .description('show a run: state, iterations, win rates, best model')
    .action(wrap(statusCommand));
  configFlags(
    program
      .command('fork')
      .argument('<run>', 'the run to branch')
      .argument('<iteration>', 'the iteration whose model the branch starts from')
      .option('--with-replay', "copy that iteration's replay window, so the branch's first iterations train on it")
      .description('branch a run at an iteration into a new run (--name), with any settings changed, and run it'),
  ).action(wrap((run: string, iteration: string, options: Record<string, unknown>) => forkCommand(run, iteration, options)));
  program
    .command('repair')
    .argument('<run>', 'run name')
    .option('--runs-dir <dir>', 'folder of runs', defaultRunsDir())
    .option('--yes', 'cut the journal before its corrupt line (a backup is kept) and rebuild the projections')
    .description("show a run's corrupt journal line; with --yes, repair it")
    .action(wrap(repairCommand));
  program
    .command('list')
    .option('--runs-dir <dir>', 'folder of runs', defaultRunsDir())
    .option('--json', 'print the runs as JSON')
    .description('every run: state, progress (iterations of the target, or minutes of the time budget), best model, last activity, parent')
    .action(wrap(listCommand));
  program
    .command('stop')
    .argument('<run>', 'run name')
    .option('--runs-dir <dir>', 'folder of runs', defaultRunsDir())
    .description('stop a run that another process drives (gracefully; resume it later)')
    .action(wrap(stopCommand));
  program
    .command('ratings')
    .argument('<run>', 'run name')
    .option('--runs-dir <dir>', 'folder of runs', defaultRunsDir())
    .option('--json', 'print ratings.json')
    .description('the rating ladder: every rated model and reference player, strongest first')
    .action(wrap(ratingsCommand));
  program
    .command('promote')
    .argument('<run>', 'run name')
    .argument('<iteration>', 'iteration whose model becomes the best')
    .option('--runs-dir <dir>', 'folder of runs', defaultRunsDir())
    .description('make an iteration the best model by hand')
    .action(wrap((run: string, iteration: string, options: { runsDir: string }) => bestCommand(run, iteration, options)));
  program
    .command('revert')
    .argument('<run>', 'run name')
    .option('--runs-dir <dir>', 'folder of runs', defaultRunsDir())
    .description('go back to the best model before the current one')
    .action(wrap((run: string, options: { runsDir: string }) => bestCommand(run, null, options)));
  program
    .command('serve')
    .option('--host <host>', 'address to listen on (loopback by default; anything else exposes the API to the network)', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', '8765')
    .option('--runs-dir <dir>', 'folder of runs', defaultRunsDir())
    .option('--allow-commands', 'let web clients set the actor, trainer and arena commands (the token then grants code execution)')
    .description('serve the dashboard and the control API over HTTP and WebSocket')
    .action(wrap(serveCommand));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // A closed pipe (`loopdeck run | head`) must not kill a training run: output is dropped, training goes on.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  let code = EXIT_OK;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`loopdeck: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`loopdeck: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ApiError && (error.code === 'bad_request' || error.code === 'not_found' || error.code === 'invalid_config')) {
      process.stderr.write(`loopdeck: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof RunFailedError || error instanceof JournalCorruptError) {
      process.stderr.write(`loopdeck: ${error.message}\n`);
      return EXIT_FAILED;
    }
    process.stderr.write(`loopdeck: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
}

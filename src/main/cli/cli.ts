/**
 * loopdeck: the orchestrator's command line. This file wires the commands
 * (one module each in commands/) and maps errors to exit codes:
 *   loopdeck run [--config file.toml] [--name NAME] [--<setting> VALUE ...]   start a run, or continue the one of that name
 *   loopdeck status|ratings|stop|repair <run>, loopdeck list, loopdeck fork <run> <iteration> --name NEW
 *   loopdeck promote <run> <iteration>, loopdeck revert <run>, loopdeck serve
 * Exit codes: 0 ok, 1 the run failed, 2 bad usage or configuration.
 */
import { Command, CommanderError } from 'commander';
import { ApiError } from '../../shared/api';
import { ConfigValidationError, defaultRunsDir } from '../orchestrator/config';
import { RunFailedError } from '../orchestrator/sessionEnd';
import { JournalCorruptError } from '../orchestrator/state/journal';
import { bestCommand } from './commands/best';
import { experimentCommand } from './commands/experiment';
import { forkCommand } from './commands/fork';
import { rerunCommand } from './commands/rerun';
import { scaleCommand } from './commands/scale';
import { listCommand } from './commands/list';
import { ratingsCommand } from './commands/ratings';
import { repairCommand } from './commands/repair';
import { runCommand } from './commands/run';
import { serveCommand } from './commands/serve';
import { statusCommand } from './commands/status';
import { stopCommand } from './commands/stop';
import { configFlags } from './configFlags';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './exitCodes';

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
    .command('experiment')
    .argument('<file>', 'TOML file: name, seeds, parallel, [base] settings, [grid] setting = [values]')
    .option('--runs-dir <dir>', 'folder of runs', defaultRunsDir())
    .option('--report', 'print the table only, running nothing')
    .option('--csv', 'print the table as CSV')
    .option('--json', 'print the table, every run and the curves as JSON')
    .option('--curves', "print each cell's mean and 95% interval by iteration (rating, accuracy) as CSV")
    .description('run settings x seeds at equal compute (again after a stop: it resumes), then compare the cells with 95% intervals')
    .action(wrap((file: string, options: { runsDir?: string; report?: boolean; csv?: boolean; json?: boolean; curves?: boolean }) => experimentCommand(file, options)));
  program
    .command('scale')
    .argument('<name>', "the scale's name: its games are kept in <runs-dir>/.scales/<name>/ and a scale played again plays only what it lacks")
    .argument('<runs...>', 'two or more runs of one game')
    .option('--runs-dir <dir>', 'folder of runs', defaultRunsDir())
    .option('--games <n>', 'games per match', '20')
    .option('--sims <n>', "simulations per move (default: the first run's evaluation setting)")
    .option('--json', 'print the report as JSON')
    .description("put runs on one rating scale: their best models play each other and the reference players, and one fit rates every run's models together")
    .action(wrap((name: string, runs: string[], options: { runsDir: string; games?: string; sims?: string; json?: boolean }) => scaleCommand(name, runs, options)));
  program
    .command('rerun')
    .argument('<run>', 'the run to make again')
    .option('--name <new>', 'name of the new run (default: <run>-rerun)')
    .option('--runs-dir <dir>', 'folder of runs', defaultRunsDir())
    .description("start a new run from a run's record: the settings it was created with, its seed and its engine commands; says what differs from the record")
    .action(wrap((run: string, options: { name?: string; runsDir?: string }) => rerunCommand(run, options)));
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
    .option('--if-best <iteration>', 'change it only if the best model is still this iteration (or none); default: the best when the command starts')
    .description('make an iteration the best model by hand')
    .action(wrap((run: string, iteration: string, options: { runsDir: string; ifBest?: string }) => bestCommand(run, iteration, options)));
  program
    .command('revert')
    .argument('<run>', 'run name')
    .option('--runs-dir <dir>', 'folder of runs', defaultRunsDir())
    .option('--if-best <iteration>', 'revert only if the best model is still this iteration; default: the best when the command starts')
    .description('go back to the best model before the current one')
    .action(wrap((run: string, options: { runsDir: string; ifBest?: string }) => bestCommand(run, null, options)));
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

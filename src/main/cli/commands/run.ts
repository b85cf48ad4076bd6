/** `loopdeck run`: start a run, or continue one of that name with any settings given, in this terminal until it ends or Ctrl-C stops it. */
import { existsSync } from 'node:fs';
import { ApiError, type SettingsChange } from '../../../shared/api';
import { describeChanges } from '../../../shared/config/changes';
import { CONFIG_FIELDS, flagName } from '../../../shared/config/fields';
import { limitName, limitsReached, summaryProgress } from '../../../shared/runLimits';
import { resolveConfig } from '../../orchestrator/config';
import { Orchestrator } from '../../orchestrator/orchestrator';
import { defaultActor } from '../../orchestrator/service/defaultActor';
import { RunPaths } from '../../orchestrator/state/runPaths';
import { CliProgress, formatDuration } from '../cliProgress';
import { flagsFrom } from '../configFlags';
import { EXIT_OK, UsageError } from '../exitCodes';

export async function runCommand(options: Record<string, unknown>): Promise<number> {
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
    const { summary, state } = orchestrator.view();
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
export async function runInForeground(orchestrator: Orchestrator): Promise<number> {
  const { config, paths } = orchestrator;
  const progress = new CliProgress(process.stdout, () => orchestrator.config, orchestrator.view().summary.minutes_done);
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
    const snapshot = orchestrator.view();
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

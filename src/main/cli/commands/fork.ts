/** `loopdeck fork`: branch a run at an iteration into a new run, with any settings changed, and run it. */
import { ApiError } from '../../../shared/api';
import { configChanges, describeChanges } from '../../../shared/config/changes';
import type { Orchestrator } from '../../orchestrator/orchestrator';
import { defaultRunsDir } from '../../orchestrator/config';
import { defaultActor } from '../../orchestrator/service/defaultActor';
import { forkRun } from '../../orchestrator/service/fork';
import { RunManager } from '../../orchestrator/service/runManager';
import { flagsFrom } from '../configFlags';
import { UsageError } from '../exitCodes';
import { runInForeground } from './run';

export async function forkCommand(parent: string, iterationText: string, options: Record<string, unknown>): Promise<number> {
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

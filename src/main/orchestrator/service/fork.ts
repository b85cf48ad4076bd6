/**
 * Branching a run: a new run whose starting model (its iteration 0, with the
 * trainer's checkpoint) is the parent's model of one iteration, optionally
 * with that iteration's replay window, and the parent's settings with the
 * changes asked for. The parent is only read.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { ApiError } from '../../../shared/api';
import { validateConfig } from '../../../shared/config/validate';
import type { LoopConfigInput } from '../../../shared/config/fields';
import { copyFileAtomic } from '../../../node/atomicWrite';
import { Orchestrator, type OrchestratorOptions } from '../orchestrator';
import { RunPaths } from '../state/runPaths';
import { checkpointBeside, checkpointsOf } from '../state/trainerCheckpoints';
import { StatsManager } from '../statsManager';

export interface ForkRequest {
  /** The branch's name (its folder beside the parent's). */
  name: string;
  /** Copy the parent's replay of the window that ends at the iteration, so the first iterations train on it. */
  withReplay: boolean;
  /** Settings that differ from the parent's. */
  changes: LoopConfigInput;
  by: string;
}

export async function forkRun(runsDir: string, parentName: string, iteration: number, request: ForkRequest, options: OrchestratorOptions = {}): Promise<Orchestrator> {
  const parentPaths = new RunPaths(runsDir, parentName);
  if (!existsSync(parentPaths.events)) throw new ApiError({ code: 'not_found', message: `no run named "${parentName}" to branch from` });
  const parent = await StatsManager.peek(parentPaths);
  if (!parent.config) throw new ApiError({ code: 'internal', message: `run "${parentName}" has no settings` });
  if (!parent.iterations.some((s) => s.iteration === iteration) || !existsSync(parentPaths.model(iteration)))
    throw new ApiError({ code: 'bad_request', message: `run "${parentName}" has no finished iteration ${iteration} to branch from; choose an iteration of its models table` });
  if ('game' in request.changes && request.changes.game !== parent.config.game)
    throw new ApiError({
      code: 'invalid_config',
      message: `a branch plays its parent's game (${parent.config.game}); start a new run for another game`,
      errors: [{ field: 'game', message: "a branch plays its parent's game" }],
    });
  const result = validateConfig({ ...parent.config, ...request.changes, name: request.name, runsDir });
  if (!result.ok) throw new ApiError({ code: 'invalid_config', message: `invalid settings for the branch: ${result.errors.map((e) => e.message).join(' ')}`, errors: result.errors });
  const steps = parent.iterations.filter((s) => s.iteration <= iteration).reduce((sum, s) => sum + s.steps, 0);
  if (request.withReplay) {
    const window = Array.from({ length: Math.min(iteration, result.config.replayWindow) }, (_, k) => iteration - k);
    const gone = window.filter((i) => !existsSync(parentPaths.replayDir(i)));
    if (gone.length)
      throw new ApiError({
        code: 'bad_request',
        message: `run "${parentName}" no longer has the replay of iteration${gone.length > 1 ? 's' : ''} ${gone.reverse().join(', ')} (its keepReplayIterations deleted it); branch without its replay, or from a later iteration`,
      });
  }

  const branch = await Orchestrator.create(result.config, options, { run: parentName, iteration, steps });
  try {
    const start = branch.paths.model(0);
    await mkdir(branch.paths.modelsDir, { recursive: true });
    await copyFileAtomic(parentPaths.model(iteration), start);
    // The trainer's checkpoints beside the model (weights and optimiser state), whatever the trainer.
    for (const checkpoint of await checkpointsOf(parentPaths.model(iteration))) await copyFileAtomic(checkpoint, checkpointBeside(checkpoint, start));
    if (request.withReplay) {
      for (let i = Math.max(1, iteration - result.config.replayWindow + 1); i <= iteration; i++)
        if (existsSync(parentPaths.replayDir(i))) await cp(parentPaths.replayDir(i), branch.paths.parentReplayDir(i), { recursive: true });
    }
    await branch.best.adoptStartingModel(`branched from run "${parentName}" at iteration ${iteration}${request.withReplay ? ', with its replay window' : ''}`, request.by);
    return branch;
  } catch (error) {
    await branch.close();
    throw error;
  }
}

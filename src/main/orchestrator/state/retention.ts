/**
 * What a run keeps on disk as it grows (docs/run-directory.md, Retention). After each iteration:
 * - replay: the newest keepReplayIterations iterations' (never fewer than the trainer's window;
 *   0 keeps all). A branch's copy of its parent's replay goes with the parent's iterations it holds.
 * - trainer checkpoints (trainerCheckpoints.ts, any trainer's): only the newest iteration's
 *   (training continues from it) and the best model's (a branch from it keeps its optimiser state). A branch from another iteration starts
 *   from that iteration's ONNX weights.
 * Every model (.onnx) is kept: charts, ratings, game records and the audit trail name them.
 * What is deleted is journaled (files.deleted), with its size.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { LoopConfig } from '../../../shared/config/fields';
import type { RunState } from '../../../shared/runState';
import { sizeOf } from './diskSpace';
import type { RunPaths } from './runPaths';
import { CHECKPOINT_FILE } from './trainerCheckpoints';

const REPLAY_DIR = /^(parent-)?iter-(\d{4,})$/;

/** The replay folders and checkpoints retention would delete now, newest iteration `newest` completed. */
export async function filesToDelete(paths: RunPaths, state: Pick<RunState, 'best' | 'parent'>, config: Pick<LoopConfig, 'keepReplayIterations' | 'replayWindow'>, newest: number): Promise<string[]> {
  const doomed: string[] = [];
  if (config.keepReplayIterations > 0) {
    // The oldest iteration whose replay is kept; the next training needs replayWindow back from newest + 1.
    const oldestKept = newest + 1 - Math.max(config.keepReplayIterations, config.replayWindow);
    for (const name of existsSync(paths.replayRoot) ? await readdir(paths.replayRoot) : []) {
      const match = REPLAY_DIR.exec(name);
      if (!match) continue;
      // A parent's iteration p counts as this run's iteration p - parent.iteration (0 and below).
      const iteration = match[1] ? Number(match[2]) - (state.parent?.iteration ?? 0) : Number(match[2]);
      if (iteration < oldestKept) doomed.push(join(paths.replayRoot, name));
    }
  }
  for (const name of existsSync(paths.modelsDir) ? await readdir(paths.modelsDir) : []) {
    const match = CHECKPOINT_FILE.exec(name);
    if (!match) continue;
    const iteration = Number(match[1]);
    if (iteration < newest && iteration !== state.best?.iteration) doomed.push(join(paths.modelsDir, name));
  }
  return doomed.sort();
}

/** Deletes what retention no longer keeps; returns what it deleted (relative paths) and their size, or null when nothing. */
export async function applyRetention(
  paths: RunPaths,
  state: Pick<RunState, 'best' | 'parent'>,
  config: Pick<LoopConfig, 'keepReplayIterations' | 'replayWindow'>,
  newest: number,
): Promise<{ paths: string[]; bytes: number } | null> {
  const doomed = await filesToDelete(paths, state, config, newest);
  if (doomed.length === 0) return null;
  let bytes = 0;
  for (const path of doomed) {
    bytes += await sizeOf(path);
    await rm(path, { recursive: true, force: true });
  }
  return { paths: doomed.map((p) => relative(paths.root, p)), bytes };
}

/** The one place the best model changes: copy its file to models/best.onnx atomically, then journal the change. */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { ApiError } from '../../../shared/api';
import type { BestModelInfo } from '../../../shared/stats';
import { copyFileAtomic } from '../state/atomicFile';
import { applyBestChange, type BestChange } from './bestModel';
import type { UnstampedEvent } from '../phaseContext';
import type { RunPaths } from '../state/runPaths';

export async function commitBestChange(paths: RunPaths, current: BestModelInfo | null, change: BestChange, emit: (event: UnstampedEvent) => Promise<void>): Promise<BestModelInfo> {
  const model = paths.model(change.iteration);
  if (!existsSync(model)) throw new ApiError({ code: 'bad_request', message: `iteration ${change.iteration} has no model (${model}); choose an iteration that finished training` });
  await copyFileAtomic(model, paths.bestModel);
  const best = applyBestChange(current, change, relative(paths.root, model));
  await emit({ type: 'best.changed', best });
  return best;
}

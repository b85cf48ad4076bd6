/**
 * The best model and its audit trail, as pure functions over BestModelInfo.
 * Promotions stack up; a revert pops back to the best before the current one.
 */
import type { BestModelEntry, BestModelInfo, BestReason } from '../../shared/stats';

export interface BestChange {
  iteration: number;
  reason: BestReason;
  by: string;
  time: string;
  score?: number | null;
  note?: string;
}

export function applyBestChange(current: BestModelInfo | null, change: BestChange, modelPath: string): BestModelInfo {
  const entry: BestModelEntry = {
    iteration: change.iteration,
    promoted_at: change.time,
    reason: change.reason,
    by: change.by,
    score: change.score ?? null,
    note: change.note ?? '',
  };
  return { ...entry, model_path: modelPath, history: [...(current?.history ?? []), entry] };
}

/** The stack of bests as promotions push and reverts pop, oldest first. */
export function bestStack(info: BestModelInfo | null): number[] {
  const stack: number[] = [];
  for (const entry of info?.history ?? []) {
    if (entry.reason === 'revert') {
      stack.pop();
      if (stack[stack.length - 1] !== entry.iteration) stack.push(entry.iteration);
    } else {
      stack.push(entry.iteration);
    }
  }
  return stack;
}

/** The iteration a revert goes back to, or an explanation of why there is none. */
export function previousBest(info: BestModelInfo | null): { iteration: number } | { error: string } {
  if (!info) return { error: 'this run has no best model yet, so there is nothing to revert' };
  const stack = bestStack(info);
  if (stack.length < 2) return { error: `iteration ${info.iteration} is the first best model of this run; there is no previous best to revert to` };
  return { iteration: stack[stack.length - 2]! };
}

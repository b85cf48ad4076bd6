/**
 * The best model's audit trail read as a stack: promotions push, a revert pops
 * back to the best before the current one. Shared by the orchestrator (which
 * reverts) and the panel (which says what a revert would go back to).
 */
import type { BestModelEntry, BestModelInfo } from './stats';

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

/** The iterations that became best other than by a revert (the gate's promotions, promotions by hand, a run's first model). */
export function promotedIterations(info: BestModelInfo | null): Set<number> {
  return new Set((info?.history ?? []).filter((entry) => entry.reason !== 'revert').map((entry) => entry.iteration));
}

/**
 * The best model after a best.changed event: the new entry on top of the trail. An event of an
 * earlier journal holds the whole trail (`best`) and replaces it. One entry per event keeps a
 * journal linear in its promotions (the whole trail in each made it quadratic).
 */
export function withBestChange(current: BestModelInfo | null, event: { entry?: BestModelEntry; model_path?: string; best?: BestModelInfo }): BestModelInfo {
  if (event.best) return event.best;
  const entry = event.entry!;
  return { ...entry, model_path: event.model_path ?? '', history: [...(current?.history ?? []), entry] };
}

/**
 * The part of a long run's history a window holds: a 20,000-iteration run's full state is tens of
 * megabytes (every loss point, every rated match), so a snapshot carries every iteration of a short
 * run and, of a long one, every stride-th iteration, the last ones and the best models', and the
 * orchestrator's rating fit instead of the matches. Which iterations are kept depends on the run
 * alone (its last iteration and its best models), so the server that sends a snapshot and the
 * window that applies events after it keep the same ones. Any other iteration is asked for on demand.
 */
import { bestStack } from './bestHistory';
import { type KeptIterations, keeps, strideOf } from './keptIterations';
import type { PortableFit } from './ratingFitter';
import type { RunSnapshot, RunState, RunView } from './runState';
import type { LossPoint } from './stats';

/** Models of the top of the best-model stack a window keeps whatever the stride (the best, and what reverts go back to). */
export const BEST_ITERATIONS = 50;
/** Loss points held at most: beyond, one per kept iteration (its last), and every point of the newest iterations. */
export const LOSS_POINTS = 2_000;

/** The newest iteration the state knows of. */
function lastIteration(state: Pick<RunState, 'iterations' | 'current_iteration'>): number {
  return Math.max(state.iterations[state.iterations.length - 1]?.iteration ?? 0, state.current_iteration ?? 0);
}

export function keptIterations(state: Pick<RunState, 'iterations' | 'current_iteration' | 'best'>): KeptIterations {
  const last = lastIteration(state);
  const stride = strideOf(last);
  if (stride === 1) return { last, stride, best: [] };
  const best = bestStack(state.best).slice(-BEST_ITERATIONS);
  if (state.best && !best.includes(state.best.iteration)) best.push(state.best.iteration);
  return { last, stride, best };
}

/** Loss points bounded to LOSS_POINTS: the last point of each kept iteration, and every point of the newest iterations that fit. */
export function boundedLoss(loss: readonly LossPoint[], kept: KeptIterations): LossPoint[] {
  if (loss.length <= LOSS_POINTS) return [...loss];
  const lastOfIteration: LossPoint[] = [];
  for (let i = 0; i < loss.length; i++) {
    const p = loss[i]!;
    if (loss[i + 1]?.iteration !== p.iteration && keeps(kept, p.iteration)) lastOfIteration.push(p);
  }
  // Whole iterations from the newest back, while they fit beside the last points of the older ones.
  let from = loss.length;
  let older = lastOfIteration.length;
  while (from > 0) {
    let start = from - 1;
    while (start > 0 && loss[start - 1]!.iteration === loss[from - 1]!.iteration) start--;
    while (older > 0 && lastOfIteration[older - 1]!.iteration >= loss[start]!.iteration) older--;
    if (older + (loss.length - start) > LOSS_POINTS) break;
    from = start;
  }
  const cut = loss[from]?.iteration ?? Number.POSITIVE_INFINITY;
  return [...lastOfIteration.filter((p) => p.iteration < cut), ...loss.slice(from)];
}

/**
 * The state a window holds of a run: the kept iterations' stats and evaluations, bounded loss, no
 * rated matches (their fit comes with the snapshot), and the count and time of the iterations
 * left out, so the run's progress still counts every iteration. Idempotent.
 */
export function boundedHistory(state: RunState): RunState {
  const kept = keptIterations(state);
  const iterations = state.iterations.filter((s) => keeps(kept, s.iteration));
  const dropped = state.iterations.filter((s) => !keeps(kept, s.iteration));
  const droppedGated = state.evaluations.filter((e) => !keeps(kept, e.iteration) && e.vs_champion_iteration !== null);
  return {
    ...state,
    iterations,
    evaluations: state.evaluations.filter((e) => keeps(kept, e.iteration)),
    loss: boundedLoss(state.loss, kept),
    rated: [],
    omitted: {
      iterations: state.omitted.iterations + dropped.length,
      seconds: state.omitted.seconds + dropped.reduce((sum, s) => sum + s.total_time, 0),
      candidates: state.omitted.candidates + droppedGated.length,
      promotions: state.omitted.promotions + droppedGated.filter((e) => e.promoted).length,
    },
  };
}

/** Whether a window's state has grown past what boundedHistory keeps (checked as events arrive). */
export function outgrown(state: RunState): boolean {
  if (state.loss.length > 2 * LOSS_POINTS) return true;
  const kept = keptIterations(state);
  return kept.stride > 1 && state.iterations.some((s) => !keeps(kept, s.iteration));
}

/** What a window receives of a run's view: its bounded history, the logs of its kept iterations, and the fit of their models. */
export function runSnapshot(view: RunView, ratings: PortableFit | null): RunSnapshot {
  const kept = keptIterations(view.state);
  const logs = Object.fromEntries(Object.entries(view.logs).filter(([iteration]) => keeps(kept, Number(iteration)) || Number(iteration) === view.state.current_iteration));
  return { ...view, state: { ...boundedHistory(view.state), config: view.state.config }, logs, ratings };
}

/**
 * Which iterations a window holds of a long run (history.ts says why): plain data, so it crosses
 * to the rating fit's worker, which bounds the fit to the same players.
 */
/** Up to this many iterations, a run is held whole. */
export const WHOLE_RUN_ITERATIONS = 1_000;
/** Of a longer run: about this many evenly spaced iterations... */
export const SAMPLED_ITERATIONS = 500;
/** ...the last this many, and the models of the top of the best-model stack (history.ts). */
export const RECENT_ITERATIONS = 200;

/** Which iterations a run's history keeps (plain data: it crosses to the rating fit's worker); `keeps` asks it. */
export interface KeptIterations {
  /** The newest iteration completed or under way. */
  last: number;
  /** Every stride-th iteration is kept (1: all). */
  stride: number;
  /** The top of the best-model stack, kept whatever the stride. */
  best: number[];
}

export function keeps(kept: KeptIterations, iteration: number): boolean {
  return kept.stride === 1 || iteration % kept.stride === 0 || iteration > kept.last - RECENT_ITERATIONS || iteration === 1 || kept.best.includes(iteration);
}

/** The stride of a run whose newest iteration is `last`: a power of two, so a longer run keeps a subset of what a shorter one kept. */
export function strideOf(last: number): number {
  if (last <= WHOLE_RUN_ITERATIONS) return 1;
  let stride = 2;
  while (last / stride > SAMPLED_ITERATIONS) stride *= 2;
  return stride;
}

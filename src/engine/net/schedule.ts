/**
 * Learning rate at a global trainer step: a linear warm-up, then a slow
 * inverse-square-root decay. It depends only on the step, so it continues
 * across iterations (the orchestrator passes --start-step).
 */
export const WARMUP_STEPS = 100;
export const DECAY_STEPS = 5000;

export function learningRateAt(peak: number, step: number): number {
  const warm = Math.min(1, (step + 1) / WARMUP_STEPS);
  return (peak * warm) / Math.sqrt(1 + Math.max(0, step - WARMUP_STEPS) / DECAY_STEPS);
}

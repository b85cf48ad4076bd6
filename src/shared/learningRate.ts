/**
 * The learning rate the orchestrator hands the trainer (`--lr`) for an iteration: the configured
 * peak, falling linearly to a tenth of it over the run's last `lrCooldown` share, measured against
 * the time budget when there is one and against the iteration target otherwise (whichever the run
 * is nearer). Off by default: on Connect Four it made the last models weaker, not stronger
 * (docs/benchmarks.md). The trainer's own schedule (warm-up, slow decay by step) applies on top of it.
 */
import type { LoopConfig } from './config/fields';

/** The share of the peak the rate falls to at the run's end. */
export const COOLDOWN_FLOOR = 0.1;

type Limits = Pick<LoopConfig, 'iterations' | 'timeBudgetMinutes'>;

/**
 * How far a run is towards its end, 0 to 1: the larger of the iterations done against the target
 * and the minutes spent against the time budget.
 */
export function runProgress(config: Limits, iterationsDone: number, minutesSpent: number): number {
  const byIterations = iterationsDone / config.iterations;
  const byTime = config.timeBudgetMinutes > 0 ? minutesSpent / config.timeBudgetMinutes : 0;
  return Math.min(1, Math.max(0, byIterations, byTime));
}

/** The share of the peak rate at a run's progress: 1 until the cooldown starts, then linearly down to the floor. */
export function cooldownFactor(cooldown: number, progress: number): number {
  if (cooldown <= 0 || progress <= 1 - cooldown) return 1;
  const into = Math.min(1, (progress - (1 - cooldown)) / cooldown);
  return 1 - (1 - COOLDOWN_FLOOR) * into;
}

/** The rate for an iteration that ends at this progress. */
export function iterationLearningRate(config: Pick<LoopConfig, 'learningRate' | 'lrCooldown'>, progress: number): number {
  return config.learningRate * cooldownFactor(config.lrCooldown, progress);
}

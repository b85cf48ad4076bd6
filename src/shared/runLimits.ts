/**
 * A run's two limits, the iteration target and the time budget (minutes of iteration time over all
 * of its sessions), and how far it has come against them. A run ends at the first iteration boundary
 * where either is reached; a Connect Four run by default ends by its 60-minute budget long before its
 * 1,000-iteration target, so progress is shown against the budget when there is one.
 */
import type { LoopConfig } from './config/fields';
import type { IterationStats, RunSummary } from './stats';

type Limits = Pick<LoopConfig, 'iterations' | 'timeBudgetMinutes'>;

/** Minutes of iteration time the run has spent, over all sessions. */
export function iterationMinutes(iterations: readonly Pick<IterationStats, 'total_time'>[]): number {
  return iterations.reduce((sum, s) => sum + s.total_time, 0) / 60;
}

/** Each limit by the setting that sets it, in the order the loop checks them. */
const LIMITS = { iterations: 'iteration target', timeBudgetMinutes: 'time budget' } as const;
export type LimitSetting = keyof typeof LIMITS;
export const limitName = (setting: LimitSetting) => LIMITS[setting];

/** The settings whose limit the run has reached (none: it can run another iteration). */
export function limitsReached(config: Limits, iterations: readonly Pick<IterationStats, 'total_time'>[]): LimitSetting[] {
  return limitsReachedAt(config, iterations.length, iterationMinutes(iterations));
}

/** The same, from the count and minutes of the iterations done (a window's bounded history counts them in its summary). */
export function limitsReachedAt(config: Limits, done: number, minutes: number): LimitSetting[] {
  const reached: LimitSetting[] = [];
  if (done >= config.iterations) reached.push('iterations');
  if (config.timeBudgetMinutes > 0 && minutes >= config.timeBudgetMinutes) reached.push('timeBudgetMinutes');
  return reached;
}

/** The first limit that keeps the run from going on, or null when it can run another iteration. */
export function limitReached(config: Limits, iterations: readonly Pick<IterationStats, 'total_time'>[]): (typeof LIMITS)[LimitSetting] | null {
  const first = limitsReached(config, iterations)[0];
  return first ? limitName(first) : null;
}

/** The first limit a run's summary says it reached, or null. */
export function summaryLimitReached(config: Limits, summary: Pick<RunSummary, 'iterations_done' | 'minutes_done'>): (typeof LIMITS)[LimitSetting] | null {
  const first = limitsReachedAt(config, summary.iterations_done, summary.minutes_done)[0];
  return first ? limitName(first) : null;
}

/** What a completed run reached and which settings to raise: "the time budget of 60 minutes is spent after 92 iterations (raise timeBudgetMinutes to continue)". */
export function limitMessage(config: Limits, iterations: readonly Pick<IterationStats, 'total_time'>[]): string {
  const reached = limitsReached(config, iterations);
  const what = { iterations: `${config.iterations} iterations done`, timeBudgetMinutes: `the time budget of ${config.timeBudgetMinutes} minutes is spent after ${iterations.length} iterations` };
  return reached.length ? `${reached.map((k) => what[k]).join(', and ')} (raise ${reached.join(' and ')} to continue)` : 'stopped before its limits';
}

/** Minutes spent, to a tenth, rounded down: 59.96 of 60 minutes is not yet the budget. */
export const minutesText = (minutes: number) => (Math.floor(minutes * 10) / 10).toFixed(1);

/** "12 / 40 iterations", or with a time budget "92 iterations, 60.1 of 60 min" ("100 / 100 iterations, 210.0 of 600 min" once the target is reached). */
export function progressText(done: number, target: number, minutesDone: number, budgetMinutes: number): string {
  // The target is left out while a budget is what will end the run (Connect Four: 1,000 iterations or an hour).
  const iterations = budgetMinutes > 0 && done < target ? `${done} iteration${done === 1 ? '' : 's'}` : `${done} / ${target} iterations`;
  return budgetMinutes > 0 ? `${iterations}, ${minutesText(minutesDone)} of ${budgetMinutes} min` : iterations;
}

/** A run summary's progress line (see progressText). */
export const summaryProgress = (s: Pick<RunSummary, 'iterations_done' | 'iterations_target' | 'minutes_done' | 'time_budget_minutes'>) =>
  progressText(s.iterations_done, s.iterations_target, s.minutes_done, s.time_budget_minutes);

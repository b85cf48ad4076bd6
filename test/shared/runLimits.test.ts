import { describe, expect, it } from 'vitest';
import { iterationMinutes, limitMessage, limitReached, progressText } from '../../src/shared/runLimits';

const its = (...seconds: number[]) => seconds.map((total_time) => ({ total_time }));

describe('run limits', () => {
  it('names the limit that ends a run, the iteration target or the time budget', () => {
    expect(limitReached({ iterations: 3, timeBudgetMinutes: 0 }, its(60, 60))).toBeNull();
    expect(limitReached({ iterations: 2, timeBudgetMinutes: 0 }, its(60, 60))).toBe('iteration target');
    // A Connect Four run: 1,000 iterations or an hour, and the hour ends it.
    expect(limitReached({ iterations: 1000, timeBudgetMinutes: 60 }, its(1800, 1799))).toBeNull();
    expect(limitReached({ iterations: 1000, timeBudgetMinutes: 60 }, its(1800, 1800))).toBe('time budget');
    expect(limitReached({ iterations: 1000, timeBudgetMinutes: 90 }, its(1800, 1800))).toBeNull();
  });

  it('shows progress against the time budget when there is one', () => {
    expect(iterationMinutes(its(1800, 1806))).toBeCloseTo(60.1);
    expect(progressText(92, 1000, 60.1, 60)).toBe('92 iterations, 60.1 of 60 min');
    expect(progressText(1, 1000, 0.4, 60)).toBe('1 iteration, 0.4 of 60 min');
    expect(progressText(12, 40, 3, 0)).toBe('12 / 40 iterations');
    // The target once it is what ended the run; minutes rounded down, so a budget not yet spent never reads as spent.
    expect(progressText(100, 100, 210, 600)).toBe('100 / 100 iterations, 210.0 of 600 min');
    expect(progressText(91, 1000, 59.96, 60)).toBe('91 iterations, 59.9 of 60 min');
  });

  it('names what a completed run reached and the settings to raise', () => {
    expect(limitMessage({ iterations: 1000, timeBudgetMinutes: 60 }, its(1800, 1806))).toBe('the time budget of 60 minutes is spent after 2 iterations (raise timeBudgetMinutes to continue)');
    expect(limitMessage({ iterations: 2, timeBudgetMinutes: 0 }, its(60, 60))).toBe('2 iterations done (raise iterations to continue)');
    expect(limitMessage({ iterations: 2, timeBudgetMinutes: 1 }, its(60, 60))).toBe(
      '2 iterations done, and the time budget of 1 minutes is spent after 2 iterations (raise iterations and timeBudgetMinutes to continue)',
    );
  });
});

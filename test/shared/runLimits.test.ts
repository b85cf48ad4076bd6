import { describe, expect, it } from 'vitest';
import { iterationMinutes, limitReached, progressText } from '../../src/shared/runLimits';

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
  });
});

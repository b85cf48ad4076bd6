import { describe, expect, it } from 'vitest';
import { COOLDOWN_FLOOR, cooldownFactor, iterationLearningRate, runProgress } from '../../src/shared/learningRate';

describe('the learning-rate cooldown', () => {
  it('measures progress against whichever limit the run is nearer', () => {
    expect(runProgress({ iterations: 100, timeBudgetMinutes: 0 }, 25, 500)).toBe(0.25);
    expect(runProgress({ iterations: 1000, timeBudgetMinutes: 60 }, 50, 45)).toBe(0.75);
    expect(runProgress({ iterations: 10, timeBudgetMinutes: 60 }, 9, 6)).toBe(0.9);
    // An iteration that overruns the budget counts as the end, not past it.
    expect(runProgress({ iterations: 1000, timeBudgetMinutes: 60 }, 90, 61.5)).toBe(1);
  });

  it('keeps the peak until the cooldown, then falls linearly to the floor', () => {
    expect(cooldownFactor(0.25, 0)).toBe(1);
    expect(cooldownFactor(0.25, 0.75)).toBe(1);
    expect(cooldownFactor(0.25, 0.875)).toBeCloseTo(1 - (1 - COOLDOWN_FLOOR) / 2, 12);
    expect(cooldownFactor(0.25, 1)).toBeCloseTo(COOLDOWN_FLOOR, 12);
    expect(cooldownFactor(0, 1)).toBe(1);
    expect(cooldownFactor(1, 0)).toBe(1);
    expect(cooldownFactor(1, 0.5)).toBeCloseTo(0.55, 12);
  });

  it('scales the configured peak', () => {
    expect(iterationLearningRate({ learningRate: 0.002, lrCooldown: 0.2 }, 0.5)).toBe(0.002);
    expect(iterationLearningRate({ learningRate: 0.002, lrCooldown: 0.2 }, 1)).toBeCloseTo(0.0002, 12);
  });
});

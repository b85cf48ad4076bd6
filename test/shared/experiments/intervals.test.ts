import { describe, expect, it } from 'vitest';
import { differenceInterval, meanInterval, t975 } from '../../../src/shared/experiments/intervals';
import { createRng } from '../../../src/shared/random';

describe('intervals across seeds', () => {
  it("uses Student's t for a few seeds", () => {
    expect(t975(2)).toBeCloseTo(4.303, 3);
    expect(t975(11)).toBeGreaterThan(t975(12));
    expect(t975(11)).toBeLessThan(t975(10));
    const m = meanInterval([1, 2, 3]);
    expect(m.mean).toBe(2);
    expect(m.high - m.mean).toBeCloseTo(4.303 / Math.sqrt(3), 3);
    expect(Number.isNaN(meanInterval([5]).low)).toBe(true);
    expect(differenceInterval([1], [2, 3])).toBeNull();
  });

  it('covers the true difference of two cells 95% of the time with three seeds each, unequal spreads', () => {
    const rng = createRng(12);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    const trials = 4000;
    let covered = 0;
    let called = 0;
    for (let k = 0; k < trials; k++) {
      const a = [0, 1, 2].map(() => 100 + 40 * normal());
      const b = [0, 1, 2].map(() => 60 + 15 * normal());
      const d = differenceInterval(a, b)!;
      if (d.low <= 40 && 40 <= d.high) covered++;
      if (d.significant) called++;
    }
    expect(covered / trials).toBeGreaterThan(0.93);
    expect(covered / trials).toBeLessThan(0.985);
    // A true difference of one spread is often, not always, called more than seed noise.
    expect(called / trials).toBeGreaterThan(0.2);
  });
});

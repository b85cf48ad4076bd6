import { describe, expect, it } from 'vitest';
import { diskUsage, growthPerHour } from '../../src/shared/diskUsage';
import type { IterationStats } from '../../src/shared/stats';

const iteration = (i: number, bytes: number | null): IterationStats =>
  ({ iteration: i, total_time: 20, ...(bytes === null ? {} : { bytes_written: { selfplay: bytes, train: 0, eval: 0 } }) }) as IterationStats;

describe('disk usage', () => {
  it('grows by what the last ten measured iterations wrote less what retention deleted after them, per hour of iteration time', () => {
    const iterations = [iteration(1, null), ...Array.from({ length: 12 }, (_, k) => iteration(k + 2, 3_000_000))];
    // Iterations 4-13 wrote 30 MB in 200 s; retention deleted 2 MB after each of 4-13 (and more after 3, left out).
    const recent_deletions = [{ iteration: 3, bytes: 50_000_000 }, ...Array.from({ length: 10 }, (_, k) => ({ iteration: k + 4, bytes: 2_000_000 }))];
    expect(growthPerHour({ iterations, recent_deletions })).toBeCloseTo(((30_000_000 - 20_000_000) / 200) * 3600);
    const usage = diskUsage({ iterations, recent_deletions }, 5e9, 9e9);
    expect(usage.hours_left).toBeCloseTo(9e9 / usage.growth_bytes_per_hour!);
  });

  it('knows nothing before an iteration was measured, and sees no end when the folder does not grow', () => {
    expect(diskUsage({ iterations: [iteration(1, null)], recent_deletions: [] }, 1, 2)).toEqual({ run_bytes: 1, free_bytes: 2, growth_bytes_per_hour: null, hours_left: null });
    expect(diskUsage({ iterations: [iteration(1, 1000)], recent_deletions: [{ iteration: 1, bytes: 1000 }] }, 1, 2).hours_left).toBeNull();
  });
});

import { expect, it } from 'vitest';
import { downsample } from '../../../../src/renderer/components/charts/downsample';

it("spaces a long run's points evenly along x, though its window holds the newest densely", () => {
  // As a window holds 3,000 iterations: one in 8, then every one of the last 200.
  const held = [...Array.from({ length: 350 }, (_, k) => (k + 1) * 8), ...Array.from({ length: 200 }, (_, k) => 2_801 + k)].map((iteration) => ({ iteration }));
  const drawn = downsample(held, 120, (p) => p.iteration).map((p) => p.iteration);
  expect(drawn.length).toBeLessThanOrEqual(122);
  expect(drawn.at(-1)).toBe(3_000);
  // The last 200 iterations are a fifteenth of the x range: about a fifteenth of the points, not 200 of 550's share.
  expect(drawn.filter((i) => i > 2_800).length).toBeLessThanOrEqual(10);
  const gaps = drawn.slice(1).map((i, k) => i - drawn[k]!);
  expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * (3_000 / 120));
});

it('keeps every point asked for, and a short series whole', () => {
  const points = Array.from({ length: 1_000 }, (_, k) => ({ iteration: k + 1, promoted: k % 97 === 0 }));
  const drawn = downsample(
    points,
    50,
    (p) => p.iteration,
    (p) => p.promoted,
  );
  expect(drawn.filter((p) => p.promoted)).toHaveLength(points.filter((p) => p.promoted).length);
  const few = points.slice(0, 40);
  expect(downsample(few, 50, (p) => p.iteration)).toBe(few);
});

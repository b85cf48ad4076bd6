import { describe, expect, it } from 'vitest';
import { keeps, RECENT_ITERATIONS, SAMPLED_ITERATIONS, strideOf } from '../../src/shared/keptIterations';
import { fitRequest, fromPortable, IncrementalRatingFitter } from '../../src/shared/ratingFitter';
import { ratingDifference } from '../../src/shared/ratings';
import { fitRunRatings } from '../../src/shared/runRatings';
import type { RatedGames } from '../../src/shared/stats';

const match = (iteration: number, a: string, b: string, wins: number): RatedGames => ({
  iteration,
  kind: 'gate',
  a,
  b,
  a_first: { wins, draws: 1, losses: 9 - wins },
  b_first: { wins: 9 - wins, draws: 1, losses: wins },
});
const iter = (i: number) => `iter-${String(i).padStart(4, '0')}`;
const games = (n: number) => Array.from({ length: n }, (_, k) => [match(k + 1, iter(k + 1), 'random', 8), ...(k > 0 ? [match(k + 1, iter(k + 1), iter(k), 6)] : [])]).flat();

const WHOLE = { last: 30, stride: 1, best: [] };

describe('the rating fit in a worker', () => {
  it('gives the fit made in one piece: the same ratings, and the same differences for pairs that met', () => {
    const all = games(30);
    const fitter = new IncrementalRatingFitter();
    fitter.apply({ reset: true, append: all.slice(0, 20), kept: WHOLE });
    fitter.fit(WHOLE);
    fitter.apply({ reset: false, append: all.slice(20), kept: WHOLE });
    const viaWorker = fromPortable(structuredClone(fitter.fit(WHOLE)));
    const direct = fitRunRatings(all);
    for (const p of direct.players) expect(viaWorker.players.find((q) => q.id === p.id)!.elo).toBeCloseTo(p.elo, 3);
    const [a, b] = [iter(12), iter(11)];
    expect(ratingDifference(viaWorker, a, b)!.high).toBeCloseTo(ratingDifference(direct, a, b)!.high, 3);
    // Pairs that never met: no covariance, so a wider interval, never a narrower one.
    const far = [iter(20), iter(5)] as const;
    expect(ratingDifference(viaWorker, ...far)!.high - ratingDifference(viaWorker, ...far)!.elo).toBeGreaterThanOrEqual(
      ratingDifference(direct, ...far)!.high - ratingDifference(direct, ...far)!.elo - 1e-9,
    );
  });

  it('sends only the matches played since, unless the list was cut (a redone iteration)', () => {
    const all = games(10);
    const first = all.slice(0, 12);
    expect(fitRequest(null, first, null)).toEqual({ reset: true, append: first, kept: null });
    expect(fitRequest(first, all, WHOLE)).toEqual({ reset: false, append: all.slice(12), kept: WHOLE });
    const redone = [...first.slice(0, 8), match(5, iter(5), 'random', 2)];
    expect(fitRequest(first, redone, null)).toEqual({ reset: true, append: redone, kept: null });
  });

  it("bounds a window's fit to its kept models, with the covariances of the pairs among them, and fits once for both asks", () => {
    const all = games(3000);
    const fitter = new IncrementalRatingFitter();
    fitter.apply({ reset: true, append: all, kept: null });
    const t0 = performance.now();
    const everyone = fitter.fit(null);
    const fitting = performance.now() - t0;
    expect(everyone.players).toHaveLength(3001);
    expect(everyone.met.a).toHaveLength(0);
    const kept = { last: 3000, stride: strideOf(3000), best: [1234] };
    const t1 = performance.now();
    const window = fitter.fit(kept);
    // No new games: the second ask reuses the fit and only selects from it.
    expect(performance.now() - t1).toBeLessThan(fitting / 2);
    const models = window.players.filter((p) => p.id.startsWith('iter-')).map((p) => Number(p.id.slice(5)));
    expect(models).toHaveLength(models.filter((i) => keeps(kept, i)).length);
    expect(models).toEqual(expect.arrayContaining([1, 8, 1234, 2801, 3000]));
    expect(models).not.toContain(1235);
    expect(models.length).toBeLessThan(SAMPLED_ITERATIONS + RECENT_ITERATIONS + 2);
    // Consecutive kept models met (the last ones): their difference keeps its covariance.
    const direct = fitRunRatings(all);
    const [a, b] = [iter(2999), iter(2998)];
    expect(ratingDifference(fromPortable(window), a, b)!.high).toBeCloseTo(ratingDifference(direct, a, b)!.high, 3);
    const shown = (id: string) => !id.startsWith('iter-') || keeps(kept, Number(id.slice(5)));
    expect(window.met.a.length).toBeGreaterThan(models.length);
    expect(window.met.a.every((id, k) => shown(id) && shown(window.met.b[k]!))).toBe(true);
  });
});

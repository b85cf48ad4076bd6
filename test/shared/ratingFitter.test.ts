import { describe, expect, it } from 'vitest';
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

describe('the rating fit in a worker', () => {
  it('gives the fit made in one piece: the same ratings, and the same differences for pairs that met', () => {
    const all = games(30);
    const fitter = new IncrementalRatingFitter();
    fitter.apply({ reset: true, append: all.slice(0, 20), pairs: true });
    fitter.fit();
    fitter.apply({ reset: false, append: all.slice(20), pairs: true });
    const viaWorker = fromPortable(structuredClone(fitter.fit()));
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
    expect(fitRequest(null, first)).toEqual({ reset: true, append: first, pairs: true });
    expect(fitRequest(first, all)).toEqual({ reset: false, append: all.slice(12), pairs: true });
    const redone = [...first.slice(0, 8), match(5, iter(5), 'random', 2)];
    expect(fitRequest(first, redone)).toEqual({ reset: true, append: redone, pairs: true });
  });
});

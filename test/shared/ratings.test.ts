import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/shared/random';
import { expectedScore, fitRatings, ratingDifference, type PairResult } from '../../src/shared/ratings';

const TRUE: Record<string, number> = { random: 0, a: 150, b: 400, c: 700, d: 760 };
const FIRST_MOVE = 60;

/** Games of every listed pairing, half with each side first; draws drawn so that the expected score is the model's. */
function simulate(pairings: [string, string][], gamesPerPairing: number, rng: Rng): PairResult[] {
  const results: PairResult[] = [];
  for (const [x, y] of pairings) {
    for (const [first, second] of [
      [x, y],
      [y, x],
    ] as const) {
      const p = expectedScore(TRUE[first]! + FIRST_MOVE, TRUE[second]!);
      const draw = Math.min(0.2, 2 * Math.min(p, 1 - p));
      const r: PairResult = { first, second, wins: 0, draws: 0, losses: 0 };
      for (let g = 0; g < gamesPerPairing / 2; g++) {
        const u = rng();
        if (u < p - draw / 2) r.wins++;
        else if (u < p + draw / 2) r.draws++;
        else r.losses++;
      }
      results.push(r);
    }
  }
  return results;
}

const LADDER: [string, string][] = [
  ['a', 'random'],
  ['b', 'random'],
  ['b', 'a'],
  ['c', 'b'],
  ['c', 'a'],
  ['d', 'c'],
  ['d', 'b'],
];

describe('Bradley-Terry ratings', () => {
  it('recovers known ratings within their intervals, with random at 0', () => {
    const fit = fitRatings(simulate(LADDER, 400, createRng(7)));
    expect(fit.players.find((p) => p.id === 'random')).toMatchObject({ elo: 0, elo_low: 0, elo_high: 0 });
    for (const id of ['a', 'b', 'c', 'd']) {
      const p = fit.players.find((x) => x.id === id)!;
      expect(p.elo_low).toBeLessThan(TRUE[id]!);
      expect(p.elo_high).toBeGreaterThan(TRUE[id]!);
      expect(p.elo_high - p.elo_low).toBeLessThan(150);
    }
    expect(Math.abs(fit.first_move_elo - FIRST_MOVE)).toBeLessThan(30);
    expect(fit.games).toBe(7 * 400);
  });

  it('recovers them over many seeds about as often as a 95% interval should', () => {
    let inside = 0;
    let total = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const fit = fitRatings(simulate(LADDER, 100, createRng(seed)));
      for (const id of ['a', 'b', 'c', 'd']) {
        const p = fit.players.find((x) => x.id === id)!;
        total++;
        if (p.elo_low <= TRUE[id]! && TRUE[id]! <= p.elo_high) inside++;
      }
    }
    // 160 intervals: a 95% interval covers the truth in about 152; the prior shrinks a little.
    expect(inside / total).toBeGreaterThan(0.88);
  });

  it('intervals shrink as games grow, about as 1/sqrt(games)', () => {
    const small = fitRatings(simulate(LADDER, 100, createRng(3)));
    const large = fitRatings(simulate(LADDER, 1600, createRng(3)));
    for (const id of ['a', 'b', 'c', 'd']) {
      const ratio = small.players.find((p) => p.id === id)!.sigma / large.players.find((p) => p.id === id)!.sigma;
      expect(ratio).toBeGreaterThan(3);
      expect(ratio).toBeLessThan(5);
    }
  });

  it('keeps a clean sweep finite and ordered', () => {
    const fit = fitRatings([
      { first: 'm', second: 'random', wins: 50, draws: 0, losses: 0 },
      { first: 'random', second: 'm', wins: 0, draws: 0, losses: 50 },
    ]);
    const m = fit.players.find((p) => p.id === 'm')!;
    expect(Number.isFinite(m.elo)).toBe(true);
    expect(m.elo).toBeGreaterThan(400);
    expect(m.elo_low).toBeGreaterThan(0);
  });

  it('reports players with no chain of games to random instead of rating them', () => {
    const fit = fitRatings([
      { first: 'a', second: 'random', wins: 5, draws: 0, losses: 5 },
      { first: 'x', second: 'y', wins: 3, draws: 1, losses: 2 },
    ]);
    expect(fit.players.map((p) => p.id).sort()).toEqual(['a', 'random']);
    expect(fit.disconnected).toEqual(['x', 'y']);
    const none = fitRatings([{ first: 'x', second: 'y', wins: 1, draws: 0, losses: 0 }]);
    expect(none.players).toEqual([]);
    expect(none.disconnected).toEqual(['x', 'y']);
    expect(fitRatings([]).players).toEqual([]);
  });

  it('gives the difference of two players an interval that accounts for their covariance', () => {
    const fit = fitRatings(simulate(LADDER, 400, createRng(11)));
    const cd = ratingDifference(fit, 'd', 'c')!;
    expect(cd.low).toBeLessThan(60);
    expect(cd.high).toBeGreaterThan(60);
    const ca = ratingDifference(fit, 'c', 'a')!;
    expect(ca.significant).toBe(true);
    expect(ratingDifference(fit, 'c', 'nobody')).toBeNull();
  });
});

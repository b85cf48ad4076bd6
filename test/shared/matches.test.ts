import { expect, it } from 'vitest';
import { DEFAULT_SPRT, eloOfScore, scoreSummary, sprt } from '../../src/shared/matches';
import { createRng } from '../../src/shared/random';
import { expectedScore } from '../../src/shared/ratings';

/** Plays games one by one until the test decides; returns the decision and the games it took. */
function runTest(eloDiff: number, seed: number, maxGames = 5000) {
  const rng = createRng(seed);
  const wdl = { wins: 0, draws: 0, losses: 0 };
  const p = expectedScore(eloDiff, 0);
  for (let n = 1; n <= maxGames; n++) {
    const u = rng();
    const draw = 0.3;
    if (u < p - draw / 2) wdl.wins++;
    else if (u < p + draw / 2) wdl.draws++;
    else wdl.losses++;
    const state = sprt(wdl, DEFAULT_SPRT);
    if (state.decision) return { decision: state.decision, games: n };
  }
  return { decision: null, games: maxGames };
}

it('the sequential test accepts a real gain and rejects none, with about the error rates it was set for', () => {
  const stronger = Array.from({ length: 40 }, (_, i) => runTest(80, i + 1));
  const equal = Array.from({ length: 40 }, (_, i) => runTest(0, 100 + i));
  expect(stronger.filter((r) => r.decision === 'H1').length).toBeGreaterThanOrEqual(37);
  expect(equal.filter((r) => r.decision === 'H0').length).toBeGreaterThanOrEqual(36);
  // It decides a large gain quickly, and never from a couple of unanimous games.
  expect(Math.max(...stronger.map((r) => r.games))).toBeLessThan(1500);
  expect(sprt({ wins: 3, draws: 0, losses: 0 }, DEFAULT_SPRT).decision).toBeNull();
});

it('summarises a score with an interval that narrows with games and reads as Elo', () => {
  const few = scoreSummary({ wins: 6, draws: 2, losses: 2 });
  const many = scoreSummary({ wins: 600, draws: 200, losses: 200 });
  expect(few.score).toBeCloseTo(0.7, 10);
  expect(many.score).toBeCloseTo(0.7, 10);
  expect(many.high - many.low).toBeLessThan((few.high - few.low) / 5);
  expect(eloOfScore(0.5)).toBeCloseTo(0, 6);
  expect(many.elo!).toBeCloseTo(eloOfScore(0.7), 6);
  expect(many.elo_low!).toBeLessThan(many.elo!);
  expect(scoreSummary({ wins: 0, draws: 0, losses: 0 })).toMatchObject({ games: 0, elo: null });
});

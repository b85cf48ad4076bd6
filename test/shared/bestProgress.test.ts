import { describe, expect, it } from 'vitest';
import { bestProgress, bestProgressText } from '../../src/shared/bestProgress';
import { modelPlayerId } from '../../src/shared/players';
import { createRng } from '../../src/shared/random';
import { expectedScore, fitRatings, type PairResult } from '../../src/shared/ratings';
import type { EvalRecord } from '../../src/shared/stats';

/** Elo each model really has. Iteration 3 is much weaker than the best it played (2); 4 is as strong as 2. */
const TRUE = [0, 300, 500, 150, 510, 700];

/** `games` decisive games of `a` against `b`, half with each first, won as often as the ratings say. */
function play(a: number, b: number, games: number, rng: () => number): PairResult[] {
  const id = (i: number) => (i === 0 ? 'random' : modelPlayerId(i));
  return [
    [a, b],
    [b, a],
  ].map(([first, second]) => {
    const p = expectedScore(TRUE[first!]!, TRUE[second!]!);
    const r: PairResult = { first: id(first!), second: id(second!), wins: 0, draws: 0, losses: 0 };
    for (let g = 0; g < games / 2; g++) rng() < p ? r.wins++ : r.losses++;
    return r;
  });
}

function evaluation(iteration: number, best: number | null, promoted: boolean): EvalRecord {
  return { iteration, vs_champion_iteration: best, promoted } as EvalRecord;
}

describe('bestProgress', () => {
  const rng = createRng(3);
  // Each candidate plays random and the best of its time, as the gate and the random match do.
  const games = [
    ...play(1, 0, 200, rng),
    ...play(2, 0, 200, rng),
    ...play(2, 1, 400, rng),
    ...play(3, 0, 200, rng),
    ...play(3, 2, 400, rng),
    ...play(4, 0, 200, rng),
    ...play(4, 2, 400, rng),
    ...play(5, 0, 200, rng),
    ...play(5, 2, 400, rng),
  ];
  const fit = fitRatings(games);
  const evaluations = [evaluation(1, null, true), evaluation(2, 1, true), evaluation(3, 2, false), evaluation(4, 2, false), evaluation(5, 2, true)];

  it('counts promotions over the candidates that met a best model', () => {
    const progress = bestProgress(evaluations, fit);
    expect(progress.candidates).toBe(4);
    expect(progress.promotions).toBe(2);
    expect(progress.candidatesPerPromotion).toBe(2);
  });

  it('names the candidates rated significantly below the best they played, and only those', () => {
    const progress = bestProgress(evaluations, fit);
    expect(progress.compared).toBe(4);
    expect(progress.below.map((b) => [b.iteration, b.best])).toEqual([[3, 2]]);
    expect(progress.below[0]!.high).toBeLessThan(0);
    expect(progress.below[0]!.elo).toBeLessThan(-200);
  });

  it('says it in one line: the rate, then the candidates below the best, the last five by name', () => {
    expect(bestProgressText(bestProgress(evaluations, fit))).toMatch(
      /^2 promotions over 4 candidates \(one every 2\.0\)\. 1 of 4 candidates is rated significantly below the best model it played: iteration 3 \(\d+ Elo below 2\)\.$/,
    );
    const below = Array.from({ length: 7 }, (_, i) => ({ iteration: i + 10, best: 9, elo: -50, high: -5 }));
    const text = bestProgressText({ candidates: 20, held: 20, promotions: 0, candidatesPerPromotion: null, compared: 18, below })!;
    expect(text).toMatch(/^0 promotions over 20 candidates\. 7 of 18 candidates are rated significantly below the best model they played, the last 5 of them: iteration 12 /);
    expect(text).not.toContain('iteration 11 ');
    expect(bestProgressText({ candidates: 3, held: 3, promotions: 1, candidatesPerPromotion: 3, compared: 2, below: [] })).toBe(
      '1 promotion over 3 candidates (one every 3.0). No candidate is rated significantly below the best model it played (2 of 3 compared; the rest are not rated yet).',
    );
    expect(bestProgressText({ candidates: 0, held: 0, promotions: 0, candidatesPerPromotion: null, compared: 0, below: [] })).toBeNull();
  });

  it("counts a long run's every candidate, and compares those its window holds", () => {
    const progress = bestProgress(evaluations, fit, { candidates: 96, promotions: 10 });
    expect(progress).toMatchObject({ candidates: 100, held: 4, promotions: 12, candidatesPerPromotion: 100 / 12 });
    expect(bestProgressText(progress)).toMatch(/^12 promotions over 100 candidates \(one every 8\.3\)\. 1 of 4 held candidates is rated significantly below/);
    expect(bestProgressText({ ...progress, below: [] })).toMatch(/\(4 of 100 compared: those of the 4 this window holds\)\.$/);
  });

  it('leaves out candidates the ratings cannot compare, and has no rate before a promotion', () => {
    const progress = bestProgress([evaluation(9, 8, false)], fit);
    expect(progress).toMatchObject({ candidates: 1, promotions: 0, candidatesPerPromotion: null, compared: 0, below: [] });
  });
});

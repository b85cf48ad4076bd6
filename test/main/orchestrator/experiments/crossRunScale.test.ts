import { expect, it } from 'vitest';
import { scaleFit, scaleModelId } from '../../../../src/main/orchestrator/experiments/crossRunScale';
import { createRng } from '../../../../src/shared/random';
import { expectedScore, ratingDifference } from '../../../../src/shared/ratings';
import type { RatedGames } from '../../../../src/shared/stats';

const GAMES = 40;

/** A match of GAMES games between players of known strength, half with each first (no first-move edge). */
function match(rng: () => number, a: string, b: string, ea: number, eb: number): RatedGames {
  const half = () => {
    const r = { wins: 0, draws: 0, losses: 0 };
    for (let g = 0; g < GAMES / 2; g++) rng() < expectedScore(ea, eb) ? r.wins++ : r.losses++;
    return r;
  };
  return { iteration: null, kind: 'match', a, b, a_first: half(), b_first: half() };
}

/** A run's own games: each model against random and the model before it, as a run's evaluations play them. */
function runGames(rng: () => number, strengths: number[]): RatedGames[] {
  const id = (i: number) => `iter-${String(i + 1).padStart(4, '0')}`;
  return strengths.flatMap((s, i) => [match(rng, id(i), 'random', s, 0), ...(i > 0 ? [match(rng, id(i), id(i - 1), s, strengths[i - 1]!)] : [])]);
}

it("on simulated games of known strengths, the difference between two runs' best models lies within its 95% interval about 95% of the time", () => {
  const rng = createRng(11);
  const a = [100, 180, 250, 300, 340, 370, 390, 400];
  const b = [150, 240, 320, 380, 430, 470, 490, 500];
  const reference = 380;
  const truth = a.at(-1)! - b.at(-1)!;
  const trials = 200;
  let covered = 0;
  let coveredThroughReferences = 0;
  for (let t = 0; t < trials; t++) {
    const runs = [
      { name: 'a', rated: runGames(rng, a) },
      { name: 'b', rated: runGames(rng, b) },
    ];
    const [bestA, bestB] = [scaleModelId('a', 'iter-0008'), scaleModelId('b', 'iter-0008')];
    const references = [match(rng, bestA, 'alphabeta-4', a.at(-1)!, reference), match(rng, bestB, 'alphabeta-4', b.at(-1)!, reference)];
    const byGames = ratingDifference(scaleFit(runs, [match(rng, bestA, bestB, a.at(-1)!, b.at(-1)!), ...references]), bestA, bestB)!;
    if (byGames.low <= truth && truth <= byGames.high) covered++;
    // Connected only through the references (and random): wider, and still honest.
    const viaReferences = ratingDifference(scaleFit(runs, references), bestA, bestB)!;
    if (viaReferences.low <= truth && truth <= viaReferences.high) coveredThroughReferences++;
    if (t === 0) expect(viaReferences.high - viaReferences.low).toBeGreaterThan(byGames.high - byGames.low);
  }
  expect(covered / trials).toBeGreaterThanOrEqual(0.9);
  expect(covered / trials).toBeLessThanOrEqual(0.99);
  expect(coveredThroughReferences / trials).toBeGreaterThanOrEqual(0.9);
});

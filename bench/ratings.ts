/**
 * The rating fit's speed: 10,000 games of a 40-iteration run (gate, random,
 * ladder), and a long run of 2,000 iterations (target: 10,000 games under 100 ms).
 *   npx tsx bench/ratings.ts
 */
import { referenceId, modelPlayerId, RANDOM_ID } from '../src/shared/players';
import { createRng } from '../src/shared/random';
import { expectedScore, fitRatings, type PairResult } from '../src/shared/ratings';
import { median } from './median';

/** Games as a run plays them: each iteration against the best (the one before), random, 1/3/10 back and a reference. */
function runGames(iterations: number, gamesPerMatch: number, ladderGames: number): PairResult[] {
  const rng = createRng(1);
  const truth = (id: string) => (id === RANDOM_ID ? 0 : id.startsWith('alphabeta') ? 800 + 100 * Number(id.split('-')[1]) : 300 + 30 * Number(id.slice(5)));
  const out: PairResult[] = [];
  const play = (a: string, b: string, games: number) => {
    for (const [first, second] of [
      [a, b],
      [b, a],
    ] as const) {
      const r: PairResult = { first, second, wins: 0, draws: 0, losses: 0 };
      const p = expectedScore(truth(first), truth(second));
      for (let g = 0; g < games / 2; g++) {
        const u = rng();
        if (u < p - 0.05) r.wins++;
        else if (u < p + 0.05) r.draws++;
        else r.losses++;
      }
      out.push(r);
    }
  };
  for (let i = 1; i <= iterations; i++) {
    const me = modelPlayerId(i);
    play(me, RANDOM_ID, gamesPerMatch);
    if (i > 1) play(me, modelPlayerId(i - 1), gamesPerMatch);
    for (const k of [3, 10]) if (i - k >= 1) play(me, modelPlayerId(i - k), ladderGames);
    play(me, referenceId(`alphabeta:${[1, 2, 4, 6][i % 4]!}`), ladderGames);
  }
  return out;
}

function time(label: string, results: PairResult[]): number {
  fitRatings(results); // warm up
  const runs: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    fitRatings(results);
    runs.push(performance.now() - t);
  }
  const games = results.reduce((s, r) => s + r.wins + r.draws + r.losses, 0);
  const middle = median(runs);
  console.log(`rating fit, ${label}: ${games.toLocaleString('en')} games, median ${middle.toFixed(1)} ms of ${runs.length}`);
  return middle;
}

export async function main(): Promise<boolean> {
  const typical = time('40 iterations (default Connect Four)', runGames(40, 100, 20));
  time('2,000 iterations', runGames(2000, 100, 20));
  const ok = typical < 100;
  console.log(`target: 10,000 games under 100 ms: ${ok ? 'met' : 'NOT met'}`);
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

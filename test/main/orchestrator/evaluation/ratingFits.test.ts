import { expect, it } from 'vitest';
import { RatingFits } from '../../../../src/main/orchestrator/evaluation/ratingFits';
import { fitRunRatings } from '../../../../src/shared/runRatings';
import type { RatedGames } from '../../../../src/shared/stats';

const match = (i: number, b: string, wins: number): RatedGames => ({
  iteration: i,
  kind: 'gate',
  a: `iter-${String(i).padStart(4, '0')}`,
  b,
  a_first: { wins, draws: 1, losses: 9 - wins },
  b_first: { wins: wins - 1, draws: 1, losses: 10 - wins },
});

it('fits in a worker thread what the event loop would, sending only new matches, and restarts after close', async () => {
  const rated = [match(1, 'random', 7), match(2, 'random', 8), match(2, 'iter-0001', 6), match(3, 'iter-0002', 5)];
  const fits = new RatingFits();
  const first = await fits.fit(rated.slice(0, 2));
  expect(first.players.map((p) => p.id).sort()).toEqual(['iter-0001', 'iter-0002', 'random']);
  const all = await fits.fit(rated);
  const direct = fitRunRatings(rated);
  for (const p of direct.players) expect(all.players.find((q) => q.id === p.id)!.elo).toBeCloseTo(p.elo, 4);
  expect(all.players.find((p) => p.id === 'iter-0003')!.elo_high).toBeCloseTo(direct.players.find((p) => p.id === 'iter-0003')!.elo_high, 4);
  await fits.close();
  expect((await fits.fit(rated)).players).toHaveLength(4);
  await fits.close();
});

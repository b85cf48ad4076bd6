/**
 * Rates a game's reference players (random and depth-limited alpha-beta)
 * against each other, for the nominal ratings in src/shared/games.ts that
 * pick a ladder opponent before a run has rated the references itself.
 *   npx tsx scripts/calibrate-references.ts --game connect4 --games 200
 */
import { parseArgs } from 'node:util';
import { playArena, randomPlayer, type ArenaPlayer } from '../src/engine/mcts/arenaLoop';
import { GAME_SPECS, isGameId, referenceDepths } from '../src/shared/games';
import { referenceId, RANDOM_ID } from '../src/shared/players';
import { createRng } from '../src/shared/random';
import { fitRatings, type PairResult } from '../src/shared/ratings';

const { values } = parseArgs({ options: { game: { type: 'string' }, games: { type: 'string', default: '200' } } });
const gameId = values.game;
if (!isGameId(gameId)) throw new Error('--game must be a known game');
const spec = GAME_SPECS[gameId];
const game = spec.rules;
const references = spec.references;
if (!references) throw new Error(`${gameId} has no reference players`);
const games = Number(values.games);
const rng = createRng(4242);
const ids = [RANDOM_ID, ...referenceDepths(gameId).map((d) => referenceId(`alphabeta:${d}`))];
const player = (id: string): ArenaPlayer => {
  if (id === RANDOM_ID) return randomPlayer(game);
  const depth = Number(id.split('-')[1]);
  return { kind: 'move', choose: (state, r) => references.alphaBetaMove(state, depth, r) };
};
const results: PairResult[] = [];
// Neighbours, and one step further, so every reference is tied to random through close matches.
for (let i = 0; i < ids.length; i++) {
  for (const j of [i + 1, i + 2]) {
    if (j >= ids.length) continue;
    const [a, b] = [ids[i]!, ids[j]!];
    const started = Date.now();
    const byColour = { aFirst: { wins: 0, draws: 0, losses: 0 }, bFirst: { wins: 0, draws: 0, losses: 0 } };
    await playArena({
      game,
      a: player(a),
      b: player(b),
      games,
      sims: 1,
      parallel: 1,
      temperature: 0,
      openingPlies: spec.arenaOpeningPlies,
      params: spec.search,
      rng,
      onGame: (g) => byColour[g.aFirst ? 'aFirst' : 'bFirst'][g.result === 'win' ? 'wins' : g.result === 'draw' ? 'draws' : 'losses']++,
    });
    results.push({ first: a, second: b, ...byColour.aFirst });
    results.push({ first: b, second: a, wins: byColour.bFirst.losses, draws: byColour.bFirst.draws, losses: byColour.bFirst.wins });
    console.log(`${a} vs ${b}: first ${JSON.stringify(byColour.aFirst)}, second ${JSON.stringify(byColour.bFirst)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
}
const fit = fitRatings(results);
for (const p of fit.players) console.log(`${p.id.padEnd(12)} ${p.elo.toFixed(0).padStart(6)}  [${p.elo_low.toFixed(0)}, ${p.elo_high.toFixed(0)}]`);
console.log(`first-move advantage ${fit.first_move_elo.toFixed(0)} Elo`);

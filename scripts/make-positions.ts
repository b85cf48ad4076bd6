/**
 * Makes a game's perfect-play position set (data/positions/<game>-v<N>.json):
 * positions that seeded imperfect play reaches, spread over the stages of the
 * game, each labelled once with the perfect-play value of every legal move.
 * Only positions where the choice matters (some legal move changes the value)
 * are kept, and each position once (mirror images count as the same).
 *   npx tsx scripts/make-positions.ts --game connect4 --per-stage 100 --seed 7
 * The imperfect player: a few uniformly random opening plies, then a
 * depth-limited alpha-beta player (depth 1-3, drawn per game) that plays a
 * random move 30% of the time. The strength bench's yardstick uses other seeds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GAME_SPECS, isGameId } from '../src/shared/games';
import { positionSetName, stageOf, type PositionSet } from '../src/shared/positions';
import { createRng } from '../src/shared/random';

const { values } = parseArgs({
  options: { game: { type: 'string' }, 'per-stage': { type: 'string', default: '100' }, seed: { type: 'string', default: '7' }, version: { type: 'string', default: '1' } },
});
const gameId = values.game;
if (!isGameId(gameId)) throw new Error('--game must be a known game');
const game = GAME_SPECS[gameId].rules;
const solvers = GAME_SPECS[gameId].solver;
const references = GAME_SPECS[gameId].references;
if (!solvers || !references) throw new Error(`${gameId} has no solver or no reference players`);
const oracle = solvers.createOracle();
const perStage = Number(values['per-stage']);
const seed = Number(values.seed);
const rng = createRng(seed);
const stages = solvers.positionSet.stages;
const mirror = (notation: string) => [...notation].map((c) => String(game.actions + 1 - Number(c))).join('');

const positions: PositionSet['positions'] = [];
const seen = new Set<string>();
const count = Object.fromEntries(stages.map((s) => [s.name, 0]));
const started = Date.now();
// A stage that yields no new position in this many tries in a row is exhausted (tic-tac-toe's opening has few).
const MAX_FRUITLESS_TRIES = 20_000;
const fruitless = Object.fromEntries(stages.map((s) => [s.name, 0]));
const open = () => stages.filter((s) => count[s.name]! < perStage && fruitless[s.name]! < MAX_FRUITLESS_TRIES);
while (open().length > 0) {
  const candidates = open();
  const stage = candidates[Math.floor(rng() * candidates.length)]!;
  fruitless[stage.name]!++;
  const target = stage.fromPly + Math.floor(rng() * (stage.toPly - stage.fromPly + 1));
  const depth = 1 + Math.floor(rng() * 3);
  let state = game.initial();
  while (game.outcome(state) === null && game.ply(state) < target) {
    const legal = game.legalActions(state);
    const move = game.ply(state) < 2 || rng() < 0.3 ? legal[Math.floor(rng() * legal.length)]! : references.alphaBetaMove(state, depth, rng);
    state = game.play(state, move);
  }
  if (game.outcome(state) !== null || game.ply(state) !== target) continue;
  const notation = game.format(state);
  const key = gameId === 'connect4' ? [notation, mirror(notation)].sort()[0]! : notation;
  if (seen.has(key)) continue;
  seen.add(key);
  const moveValues = oracle.moveValues(state);
  const distinct = new Set(moveValues.values());
  if (distinct.size < 2) continue;
  const valuesByAction = Array.from({ length: game.actions }, (_, a) => moveValues.get(a) ?? null);
  positions.push({ position: notation, ply: target, stage: stageOf(gameId, target), values: valuesByAction });
  count[stage.name]!++;
  fruitless[stage.name] = 0;
  if (positions.length % 10 === 0)
    process.stderr.write(`${positions.length} positions (${stages.map((s) => `${s.name} ${count[s.name]}`).join(', ')}), ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
positions.sort((a, b) => a.ply - b.ply || a.position.localeCompare(b.position));
const set: PositionSet = {
  set: positionSetName(gameId, Number(values.version)),
  game: gameId,
  generator: `scripts/make-positions.ts --game ${gameId} --per-stage ${perStage} --seed ${seed}`,
  stages,
  positions,
};
const out = join(import.meta.dirname, '..', 'data', 'positions', `${set.set}.json`);
writeFileSync(out, `${JSON.stringify(set, null, 0).replace(/\},\{"position"/g, '},\n{"position"')}\n`);
console.log(`wrote ${positions.length} positions to ${out}`);

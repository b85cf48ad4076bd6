/**
 * loopdeck-engine selfplay --game G --model <onnx|none> --episodes N --sims S
 *   --temp-threshold T --seed N --actor-id K --out DIR [--parallel P]
 *   [--full-search-share F --fast-search-share F] [--opening-plies N]
 * Plays many games at once (their leaves evaluated in one batch) and writes
 * shards of training positions every few games. With LOOPDECK_RECORD_GAMES=N
 * in the environment, the first N games to finish are also reported as `game`
 * events with their moves and each move's search (docs/protocol.md).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Flags } from '../flags';
import { gameSpec } from '../../shared/games';
import { emitter, logger } from '../io';
import { fastSearchSims, playSelfplayGames, type TrainingPosition } from '../mcts/selfplayLoop';
import { leafEvaluatorFor } from '../players';
import { createRng } from '../../shared/random';
import { shardLayoutFromEnv, writeShard } from '../replay/shardFile';

/** Optional outputs are asked for in the environment, so engines that do not know them are not broken by a flag. */
function recordGamesFromEnv(): number {
  const raw = process.env.LOOPDECK_RECORD_GAMES;
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`LOOPDECK_RECORD_GAMES must be a whole number of games (got "${raw}")`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const log = logger('selfplay');
  const emit = emitter('selfplay');
  const flags = Flags.of('selfplay', argv, ['parallel', 'shard-games', 'full-search-share', 'fast-search-share', 'opening-plies'] as const);
  const spec = gameSpec(flags.string('game'));
  const game = spec.rules;
  const model = flags.string('model');
  const episodes = flags.number('episodes', { int: true, min: 1 });
  const sims = flags.number('sims', { int: true, min: 1 });
  const tempThreshold = flags.number('temp-threshold', { int: true, min: 0 });
  const seed = flags.number('seed', { int: true, min: 0 });
  const actorId = flags.number('actor-id', { int: true, min: 1, fallback: 1 });
  const out = flags.string('out');
  const parallel = flags.number('parallel', { int: true, min: 1, fallback: 64 });
  const shardGames = flags.number('shard-games', { int: true, min: 1, fallback: Math.max(4, Math.min(32, Math.ceil(episodes / 8))) });
  // Not protocol flags: the bundled engine's playout cap, by default its game's (types.ts, SearchSettings).
  const search = {
    ...spec.search,
    fullSearchShare: flags.number('full-search-share', { min: 0.01, max: 1, fallback: spec.search.fullSearchShare }),
    fastSearchShare: flags.number('fast-search-share', { min: 0.01, max: 1, fallback: spec.search.fastSearchShare }),
  };
  // Not a protocol flag either: the most random plies that open a game, by default its game's.
  const openingPlies = flags.number('opening-plies', { int: true, min: 0, max: 100, fallback: spec.selfplayOpeningPlies });
  await mkdir(out, { recursive: true });

  const recordGames = recordGamesFromEnv();
  const layout = shardLayoutFromEnv();
  const rng = createRng(seed);
  const { evaluator, close } = await leafEvaluatorFor(model, game, rng);
  const cap = search.fullSearchShare < 1 ? ` (${Math.round(search.fullSearchShare * 100)}% of moves; the others ${fastSearchSims(sims, search)}, not trained on)` : '';
  const opening = openingPlies > 0 ? `, opening with 0-${openingPlies} random plies` : '';
  log(`${episodes} games of ${game.id}, ${sims} simulations per move${cap}${opening}, ${Math.min(parallel, episodes)} at once; ${evaluator.description}`);

  const started = performance.now();
  let shardIndex = 0;
  let pending: TrainingPosition[] = [];
  let pendingGames = 0;
  let positions = 0;
  let games = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const n = pending.length;
    const shard = {
      count: n,
      obsSize: game.obsSize,
      actions: game.actions,
      observation: new Float32Array(n * game.obsSize),
      policy: new Float32Array(n * game.actions),
      value: new Float32Array(n),
      legal: new Uint8Array(n * game.actions),
      searchValue: new Float32Array(n),
    };
    pending.forEach((p, i) => {
      shard.observation.set(p.observation, i * game.obsSize);
      shard.policy.set(p.policy, i * game.actions);
      shard.value[i] = p.value;
      shard.searchValue[i] = p.searchValue;
      shard.legal.set(p.legal, i * game.actions);
    });
    const path = join(out, `actor-${actorId}-${String(shardIndex++).padStart(3, '0')}.safetensors`);
    await writeShard(path, shard, layout);
    emit({ event: 'shard', path, positions: n, episodes: pendingGames });
    pending = [];
    pendingGames = 0;
  };

  try {
    await playSelfplayGames({
      game,
      evaluator,
      episodes,
      sims,
      tempThreshold,
      openingPlies,
      parallel,
      params: search,
      rng,
      recordGames,
      onGame: async (gamePositions, record) => {
        if (record) emit({ event: 'game', ...record });
        games++;
        positions += gamePositions.length;
        pending.push(...gamePositions);
        pendingGames++;
        emit({ event: 'progress', episodes: games, positions });
        if (pendingGames >= shardGames) await flush();
      },
    });
    await flush();
  } finally {
    await close();
  }
  const seconds = (performance.now() - started) / 1000;
  log(`${games} games, ${positions} positions in ${seconds.toFixed(1)} s`);
  emit({ event: 'done', episodes: games, positions, seconds });
  return 0;
}

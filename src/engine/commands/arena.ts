/**
 * loopdeck-engine arena --game G --a <onnx> --b <onnx|random> --games N
 *   --sims S --temperature T --seed N [--parallel P]
 * Colours alternate: a moves first in the even-numbered games.
 */
import { RANDOM_PLAYER } from '../../shared/protocol';
import { Flags } from '../flags';
import { getGame } from '../../shared/rules/registry';
import { emit, logger } from '../io';
import { ARENA_OPENING_PLIES, playArena, randomPlayer, type ArenaPlayer } from '../mcts/arenaLoop';
import { DEFAULT_SEARCH } from '../mcts/search';
import { leafEvaluatorFor } from '../players';
import { createRng } from '../../shared/random';

export async function run(argv: string[]): Promise<number> {
  const log = logger('arena');
  const flags = new Flags(argv, 'arena');
  flags.only(['game', 'a', 'b', 'games', 'sims', 'temperature', 'seed', 'parallel']);
  const game = getGame(flags.string('game'));
  const games = flags.number('games', { int: true, min: 1 });
  const sims = flags.number('sims', { int: true, min: 1 });
  const temperature = flags.number('temperature', { min: 0, max: 10, fallback: 0 });
  const rng = createRng(flags.number('seed', { int: true, min: 0, fallback: 1 }));
  const parallel = flags.number('parallel', { int: true, min: 1, fallback: 32 });
  const closers: (() => Promise<void>)[] = [];
  const player = async (flag: 'a' | 'b'): Promise<ArenaPlayer> => {
    const model = flags.string(flag);
    if (model === RANDOM_PLAYER) return randomPlayer(game);
    const { evaluator, close } = await leafEvaluatorFor(model, game, rng);
    closers.push(close);
    return { kind: 'search', evaluator };
  };
  try {
    const a = await player('a');
    const b = await player('b');
    log(`${games} games of ${game.id}: ${flags.string('a')} vs ${flags.string('b')}, ${sims} simulations per move`);
    const totals = await playArena({
      game, a, b, games, sims, parallel, rng, temperature,
      openingPlies: ARENA_OPENING_PLIES[game.id] ?? 2,
      params: DEFAULT_SEARCH[game.id]!,
      onGame: (g) => {
        emit({ event: 'game', index: g.index, a_first: g.aFirst, result: g.result });
        log(`game ${g.index}: ${g.moves} -> a ${g.result}`);
      },
    });
    emit({ event: 'done', ...totals });
  } finally {
    for (const close of closers) await close();
  }
  return 0;
}

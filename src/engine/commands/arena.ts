/**
 * loopdeck-engine arena --game G --a <player> --b <player> --games N
 *   --sims S --temperature T --seed N [--parallel P]
 * A player is a model (ONNX path, or "none" for the rollout evaluator),
 * "random", or "alphabeta:D" (a depth-D alpha-beta reference player, for games
 * that have one). A player this engine cannot play is answered with an
 * `error` event and exit code 2. Colours alternate: a moves first in the
 * even-numbered games.
 */
import { Flags } from '../flags';
import { gameSpec } from '../../shared/games';
import { emitter, logger } from '../io';
import { playArena, randomPlayer, type ArenaPlayer } from '../mcts/arenaLoop';
import { leafEvaluatorFor } from '../players';
import { createRng } from '../../shared/random';
import { RANDOM_PLAYER } from '../../shared/protocol';

export async function run(argv: string[]): Promise<number> {
  const log = logger('arena');
  const emit = emitter('arena');
  const flags = Flags.of('arena', argv, ['parallel'] as const);
  const spec = gameSpec(flags.string('game'));
  const game = spec.rules;
  const games = flags.number('games', { int: true, min: 1 });
  const sims = flags.number('sims', { int: true, min: 1 });
  const temperature = flags.number('temperature', { min: 0, max: 10, fallback: 0 });
  const rng = createRng(flags.number('seed', { int: true, min: 0, fallback: 1 }));
  const parallel = flags.number('parallel', { int: true, min: 1, fallback: 32 });
  const closers: (() => Promise<void>)[] = [];
  const player = async (flag: 'a' | 'b'): Promise<ArenaPlayer | { error: string }> => {
    const model = flags.string(flag);
    if (model === RANDOM_PLAYER) return randomPlayer(game);
    // The bundled engine's reference players all take an argument (alphabeta:D); a word without one is a model file.
    if (/^[a-z][a-z0-9_.]*:/.test(model)) {
      const depth = /^alphabeta:(\d+)$/.exec(model);
      const references = spec.references;
      if (!depth) return { error: `--${flag}: unknown player "${model}"; players are a model path, "random" or "alphabeta:D"` };
      if (!references) return { error: `--${flag}: ${game.id} has no alpha-beta player` };
      if (Number(depth[1]) < 1 || Number(depth[1]) > references.maxDepth) return { error: `--${flag}: alpha-beta depth must be from 1 to ${references.maxDepth} for ${game.id} (got ${depth[1]})` };
      return { kind: 'move', choose: (state, r) => references.alphaBetaMove(state, Number(depth[1]), r) };
    }
    const { evaluator, close } = await leafEvaluatorFor(model, game, rng);
    closers.push(close);
    return { kind: 'search', evaluator };
  };
  try {
    const a = await player('a');
    const b = await player('b');
    if ('error' in a || 'error' in b) {
      const message = 'error' in a ? a.error : (b as { error: string }).error;
      emit({ event: 'error', code: 'unknown_player', message });
      log(message);
      return 2;
    }
    log(`${games} games of ${game.id}: ${flags.string('a')} vs ${flags.string('b')}, ${sims} simulations per move`);
    const totals = await playArena({
      game,
      a,
      b,
      games,
      sims,
      parallel,
      rng,
      temperature,
      openingPlies: spec.arenaOpeningPlies,
      params: spec.search,
      onGame: (g) => {
        emit({ event: 'game', index: g.index, a_first: g.aFirst, result: g.result, moves: g.moves, opening: g.opening, search: g.search });
        log(`game ${g.index}: ${g.moves.join('')} -> a ${g.result}`);
      },
    });
    emit({ event: 'done', ...totals });
  } finally {
    for (const close of closers) await close();
  }
  return 0;
}

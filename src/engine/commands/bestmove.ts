/**
 * loopdeck-engine bestmove --game G --model <onnx|none> --sims S
 * Reads positions in move-sequence notation on stdin, one per line, and
 * prints one JSON line each: {position, move (1-based), policy, value}; a bad
 * line gets {position, error} and the rest go on.
 */
import { createInterface } from 'node:readline';
import { NO_MODEL } from '../../shared/protocol';
import { Flags } from '../flags';
import { emitter, logger } from '../io';
import { gameSpec } from '../../shared/games';
import { chooseMove, SearchTree, searchMany, visitPolicy } from '../mcts/search';
import { leafEvaluatorFor } from '../players';
import { createRng } from '../../shared/random';

/** Simulations per move when --sims is not given: how the engine plays a position, and how the strength bench scores a model. */
export const BESTMOVE_SIMS = 200;

export async function run(argv: string[]): Promise<number> {
  const log = logger('bestmove');
  const answer = emitter('bestmove');
  const flags = Flags.of('bestmove', argv, ['seed'] as const);
  const spec = gameSpec(flags.string('game'));
  const game = spec.rules;
  const model = flags.string('model', NO_MODEL);
  const sims = flags.number('sims', { int: true, min: 1, fallback: BESTMOVE_SIMS });
  const rng = createRng(flags.number('seed', { int: true, min: 0, fallback: 1 }));
  const { evaluator, close } = await leafEvaluatorFor(model, game, rng);
  log(`${game.id}, ${sims} simulations, ${evaluator.description}`);
  const params = { ...spec.search, noiseFraction: 0 };
  try {
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      const position = line.trim();
      try {
        const state = game.parse(position);
        if (game.outcome(state) !== null) throw new Error(`the game is over after "${position}"`);
        const root = new SearchTree(game).root(state);
        await searchMany(game, [{ root, evaluator, sims, noise: false }], params, rng);
        const policy = visitPolicy(game, root);
        answer({ position, move: root.legal[chooseMove(root, 0, rng)]! + 1, policy: Array.from(policy, (p) => Math.round(p * 1e4) / 1e4), value: Math.round(root.rootValue() * 1e4) / 1e4 });
      } catch (error) {
        answer({ position, error: (error as Error).message });
      }
    }
  } finally {
    await close();
  }
  return 0;
}

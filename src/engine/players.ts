/** Turning a --model flag into what plays: an ONNX network, or the model-less rollout evaluator. */
import { NO_MODEL } from '../shared/protocol';
import type { Game } from '../shared/games/types';
import { CachedLeafEvaluator } from './mcts/evaluationCache';
import { NetworkLeafEvaluator, RolloutLeafEvaluator, type LeafEvaluator } from './mcts/leafEvaluator';
import { loadOnnxEvaluator } from './net/onnxEvaluator';
import type { Rng } from '../shared/random';

export async function leafEvaluatorFor(model: string, game: Game<any>, rng: Rng): Promise<{ evaluator: LeafEvaluator; close(): Promise<void> }> {
  if (model === NO_MODEL) return { evaluator: new RolloutLeafEvaluator(game, rng), close: async () => {} };
  const network = await loadOnnxEvaluator(model, game);
  const direct = new NetworkLeafEvaluator(game, network);
  // The network's answer depends on the position alone, so positions met again are answered from memory.
  const evaluator = game.positionKey ? new CachedLeafEvaluator(direct, (s) => game.positionKey!(s), game.actions) : direct;
  return { evaluator, close: () => network.close() };
}

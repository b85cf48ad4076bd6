/** Turning a --model flag into what plays: an ONNX network, or the model-less rollout evaluator. */
import { NO_MODEL } from '../shared/protocol';
import type { Game } from '../shared/games/types';
import { NetworkLeafEvaluator, RolloutLeafEvaluator, type LeafEvaluator } from './mcts/leafEvaluator';
import { loadOnnxEvaluator } from './net/onnxEvaluator';
import type { Rng } from '../shared/random';

export async function leafEvaluatorFor(model: string, game: Game<any>, rng: Rng): Promise<{ evaluator: LeafEvaluator; close(): Promise<void> }> {
  if (model === NO_MODEL) return { evaluator: new RolloutLeafEvaluator(game, rng), close: async () => {} };
  const network = await loadOnnxEvaluator(model, game);
  return { evaluator: new NetworkLeafEvaluator(game, network), close: () => network.close() };
}

/**
 * The network at play time: an ONNX Runtime session on one thread (several
 * actor processes share the cores), evaluating batches of observations.
 */
import * as ort from 'onnxruntime-node';
import type { Game } from '../../shared/games/types';
import type { Evaluation, Evaluator } from './evaluator';

export class ModelShapeError extends Error {}

export async function loadOnnxEvaluator(path: string, game: Pick<Game, 'id' | 'obsSize' | 'actions'>): Promise<Evaluator> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  } catch (error) {
    throw new Error(`cannot load the model ${path}: ${(error as Error).message}`);
  }
  const expected = `input "observation" [batch, ${game.obsSize}], outputs "policy_logits" [batch, ${game.actions}] and "value" [batch, 1]`;
  const found = `inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')}`;
  if (!session.inputNames.includes('observation') || !session.outputNames.includes('policy_logits') || !session.outputNames.includes('value'))
    throw new ModelShapeError(`${path} does not fit ${game.id}: expected ${expected}; found ${found}`);
  // A probe run checks the shapes end to end.
  try {
    const probe = await session.run({ observation: new ort.Tensor('float32', new Float32Array(2 * game.obsSize), [2, game.obsSize]) });
    const p = probe.policy_logits!.dims;
    const v = probe.value!.dims;
    if (p.length !== 2 || p[1] !== game.actions || v.length !== 2 || v[1] !== 1 || p[0] !== 2 || v[0] !== 2)
      throw new ModelShapeError(`outputs policy_logits [${p}] and value [${v}] for a batch of 2`);
  } catch (error) {
    await session.release().catch(() => {});
    throw new ModelShapeError(`${path} does not fit ${game.id}: expected ${expected}; ${(error as Error).message}`);
  }
  return {
    description: `model ${path}`,
    async evaluate(observations: Float32Array, n: number): Promise<Evaluation> {
      const input = new ort.Tensor('float32', observations.subarray(0, n * game.obsSize), [n, game.obsSize]);
      const out = await session.run({ observation: input });
      return { policyLogits: out.policy_logits!.data as Float32Array, values: out.value!.data as Float32Array };
    },
    close: () => session.release(),
  };
}

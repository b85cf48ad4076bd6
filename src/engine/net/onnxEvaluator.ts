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
  const expected = `input "observation" [batch, ${game.obsSize}], outputs "policy_logits" [batch, ${game.actions}] and "value" [batch, 1] or [batch]`;
  const found = `inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')}`;
  if (!session.inputNames.includes('observation') || !session.outputNames.includes('policy_logits') || !session.outputNames.includes('value'))
    throw new ModelShapeError(`${path} does not fit ${game.id}: expected ${expected}; found ${found}`);
  let oneAtATime: boolean;
  try {
    oneAtATime = await batchFixedAtOne(session, game);
  } catch (error) {
    await session.release().catch(() => {});
    throw new ModelShapeError(`${path} does not fit ${game.id}: expected ${expected}; ${(error as Error).message}`);
  }
  const run = async (observations: Float32Array, n: number) => {
    const out = await session.run({ observation: new ort.Tensor('float32', observations.subarray(0, n * game.obsSize), [n, game.obsSize]) });
    return { policyLogits: out.policy_logits!.data as Float32Array, values: out.value!.data as Float32Array };
  };
  return {
    description: oneAtATime
      ? `model ${path}, one observation at a time: its batch size is fixed at 1 (export it with a dynamic batch axis, e.g. torch.onnx.export(..., dynamic_axes={"observation": {0: "batch"}}), to evaluate batches)`
      : `model ${path}`,
    async evaluate(observations: Float32Array, n: number): Promise<Evaluation> {
      if (!oneAtATime) return run(observations, n);
      const policyLogits = new Float32Array(n * game.actions);
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const one = await run(observations.subarray(i * game.obsSize, (i + 1) * game.obsSize), 1);
        policyLogits.set(one.policyLogits, i * game.actions);
        values[i] = one.values[0]!;
      }
      return { policyLogits, values };
    },
    close: () => session.release(),
  };
}

/**
 * Probe runs check the shapes end to end. A model exported with its batch fixed at 1 (no dynamic
 * batch axis, as torch.onnx.export makes by default) refuses a batch of 2 but runs a batch of 1:
 * it is then run one observation at a time. Any other failure is the batch of 2's.
 */
async function batchFixedAtOne(session: ort.InferenceSession, game: Pick<Game, 'obsSize' | 'actions'>): Promise<boolean> {
  try {
    await probeBatch(session, game, 2);
    return false;
  } catch (error) {
    if (error instanceof ModelShapeError) throw error;
    await probeBatch(session, game, 1).catch(() => {
      throw error;
    });
    return true;
  }
}

/** Runs a batch of zeros; a ModelShapeError when the outputs have other shapes ("value" may be [batch, 1] or [batch]). */
async function probeBatch(session: ort.InferenceSession, game: Pick<Game, 'obsSize' | 'actions'>, batch: number): Promise<void> {
  const probe = await session.run({ observation: new ort.Tensor('float32', new Float32Array(batch * game.obsSize), [batch, game.obsSize]) });
  const p = probe.policy_logits!.dims;
  const v = probe.value!.dims;
  const valueFits = (v.length === 2 && v[0] === batch && v[1] === 1) || (v.length === 1 && v[0] === batch);
  if (p.length !== 2 || p[0] !== batch || p[1] !== game.actions || !valueFits) throw new ModelShapeError(`outputs policy_logits [${p}] and value [${v}] for a batch of ${batch}`);
}

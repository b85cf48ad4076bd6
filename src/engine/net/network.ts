/** The trainable network (TensorFlow.js): weights, forward pass, one training step. */
import { architectureFor, weightSize, weightSpecs, type Architecture } from './architecture';
import { FLUSH_BELOW, flushTiny } from './subnormals';
import { tf } from './tf';
import type { Rng } from '../../shared/random';

export interface StepLosses {
  loss: number;
  policyLoss: number;
  valueLoss: number;
}

export interface TrainBatch {
  observation: Float32Array;
  policy: Float32Array;
  value: Float32Array;
  legal: Float32Array;
  size: number;
}

const WEIGHT_DECAY = 1e-4;
const CLIP_NORM = 5;
function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng());
}

/** Steps between flushes of the weights and Adam's moments. */
const FLUSH_EVERY = 25;

/** TensorFlow.js variable names are global to a process: each network gets its own prefix. */
let instances = 0;

export class Network {
  readonly variables = new Map<string, tf.Variable>();
  private optimizer: tf.AdamOptimizer;
  private steps = 0;

  constructor(
    readonly arch: Architecture,
    weights: Map<string, Float32Array>,
    learningRate = 0.001,
  ) {
    const prefix = `net${++instances}/`;
    for (const spec of weightSpecs(arch)) {
      const data = weights.get(spec.name);
      if (!data) throw new Error(`weight ${spec.name} is missing`);
      this.variables.set(spec.name, tf.variable(tf.tensor(data, spec.shape), true, prefix + spec.name));
    }
    this.optimizer = tf.train.adam(learningRate, 0.9, 0.999, 1e-7);
  }

  /** He-initialised weights, zero biases; the last value layer small so early values stay near 0. */
  static initialWeights(arch: Architecture, rng: Rng): Map<string, Float32Array> {
    const weights = new Map<string, Float32Array>();
    for (const spec of weightSpecs(arch)) {
      const size = weightSize(spec);
      const data = new Float32Array(size);
      if (spec.shape.length === 2) {
        const scale = Math.sqrt(2 / spec.shape[0]!) * (spec.name.startsWith('value2') || spec.name.startsWith('policy') ? 0.1 : 1);
        for (let i = 0; i < size; i++) data[i] = gaussian(rng) * scale;
      }
      weights.set(spec.name, data);
    }
    return weights;
  }

  static fresh(game: { id: string; obsSize: number; actions: number }, rng: Rng): Network {
    const arch = architectureFor(game);
    return new Network(arch, Network.initialWeights(arch, rng));
  }

  private v(name: string): tf.Variable {
    return this.variables.get(name)!;
  }

  forward(x: tf.Tensor2D): { logits: tf.Tensor2D; value: tf.Tensor2D } {
    const dense = (input: tf.Tensor2D, layer: string) => tf.add(tf.matMul(input, this.v(`${layer}.w`)), this.v(`${layer}.b`)) as tf.Tensor2D;
    let h = tf.relu(dense(x, 'input'));
    for (let i = 0; i < this.arch.blocks; i++) {
      const a = tf.relu(dense(h, `block${i}.a`));
      h = tf.relu(tf.add(h, dense(a, `block${i}.b`))) as tf.Tensor2D;
    }
    const logits = dense(h, 'policy');
    const value = tf.tanh(dense(tf.relu(dense(h, 'value1')), 'value2'));
    return { logits, value };
  }

  /** Inference on the TensorFlow.js side (used to check the ONNX export). */
  predict(observation: Float32Array, n: number): { logits: Float32Array; value: Float32Array } {
    const out = tf.tidy(() => {
      const { logits, value } = this.forward(tf.tensor2d(observation.subarray(0, n * this.arch.obsSize), [n, this.arch.obsSize]));
      return [logits, value] as const;
    });
    const result = { logits: out[0].dataSync() as Float32Array, value: out[1].dataSync() as Float32Array };
    out[0].dispose();
    out[1].dispose();
    return result;
  }

  trainStep(batch: TrainBatch, learningRate: number): StepLosses {
    const { grads, losses } = this.gradients(batch, 0, batch.size);
    this.applyGradients(grads, learningRate);
    return losses;
  }

  /**
   * The loss's gradients over the batch's rows [from, to), and the losses there.
   * The caller owns (and disposes) the returned tensors.
   */
  gradients(batch: TrainBatch, from: number, to: number): { grads: Record<string, tf.Tensor>; losses: StepLosses } {
    const size = to - from;
    const { obsSize, actions } = this.arch;
    const obs = tf.tensor2d(batch.observation.subarray(from * obsSize, to * obsSize), [size, obsSize]);
    const target = tf.tensor2d(batch.policy.subarray(from * actions, to * actions), [size, actions]);
    const z = tf.tensor1d(batch.value.subarray(from, to));
    const legal = tf.tensor2d(batch.legal.subarray(from * actions, to * actions), [size, actions]);
    let policyLoss: tf.Scalar | null = null;
    let valueLoss: tf.Scalar | null = null;
    const { value: loss, grads } = tf.variableGrads(() => {
      const { logits, value } = this.forward(obs);
      // Illegal moves get a large negative logit, so they take no probability.
      const masked = tf.add(logits, tf.mul(tf.sub(legal, 1), 1e9));
      const p = tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(masked)), 1))) as tf.Scalar;
      const v = tf.mean(tf.square(tf.sub(tf.reshape(value, [-1]), z))) as tf.Scalar;
      policyLoss = tf.keep(p);
      valueLoss = tf.keep(v);
      let l2 = tf.scalar(0);
      for (const [name, variable] of this.variables) if (name.endsWith('.w')) l2 = tf.add(l2, tf.sum(tf.square(variable)));
      return tf.add(tf.add(p, v), tf.mul(l2, WEIGHT_DECAY)) as tf.Scalar;
      // An explicit list in a fixed order: Adam's saved state is matched to variables by position.
    }, [...this.variables.values()]);
    const losses = { loss: loss.dataSync()[0]!, policyLoss: (policyLoss as unknown as tf.Scalar).dataSync()[0]!, valueLoss: (valueLoss as unknown as tf.Scalar).dataSync()[0]! };
    tf.dispose([obs, target, z, legal, loss, policyLoss as unknown as tf.Tensor, valueLoss as unknown as tf.Tensor]);
    return { grads, losses };
  }

  /** Clips the gradients' global norm, takes one Adam step, and disposes the gradients. */
  applyGradients(grads: Record<string, tf.Tensor>, learningRate: number): void {
    tf.tidy(() => {
      const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
      const scale = tf.minimum(tf.scalar(1), tf.div(CLIP_NORM, tf.add(norm, 1e-6)));
      const clipped: Record<string, tf.Tensor> = {};
      for (const [name, g] of Object.entries(grads)) clipped[name] = tf.mul(g, scale);
      (this.optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      this.optimizer.applyGradients(clipped as Record<string, tf.Variable>);
    });
    tf.dispose(Object.values(grads));
    if (++this.steps % FLUSH_EVERY === 0) this.flushSubnormals();
  }

  /** Copies every weight, in weightSpecs order, into one flat array (for other threads). */
  writeWeightsTo(flat: Float32Array): void {
    writeFlat(this.variables.values(), flat);
  }

  /** Sets every weight from one flat array in weightSpecs order. */
  readWeightsFrom(flat: Float32Array): void {
    let offset = 0;
    for (const variable of this.variables.values()) {
      const size = variable.size;
      tf.tidy(() => variable.assign(tf.tensor(flat.subarray(offset, offset + size), variable.shape)));
      offset += size;
    }
  }

  /** Sets the weights' and Adam moments' values below FLUSH_BELOW to zero (see FLUSH_BELOW for why). */
  flushSubnormals(): void {
    const moments = this.optimizer as unknown as { accumulatedFirstMoment?: { variable: tf.Variable }[]; accumulatedSecondMoment?: { variable: tf.Variable }[] };
    const all = [...this.variables.values(), ...(moments.accumulatedFirstMoment ?? []).map((m) => m.variable), ...(moments.accumulatedSecondMoment ?? []).map((m) => m.variable)];
    tf.tidy(() => {
      for (const variable of all) variable.assign(tf.where(tf.less(tf.abs(variable), FLUSH_BELOW), tf.zerosLike(variable), variable));
    });
  }

  /** The weights, with subnormal values flushed to zero. */
  weights(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const [name, variable] of this.variables) {
      const data = Float32Array.from(variable.dataSync() as Float32Array);
      flushTiny(data);
      out.set(name, data);
    }
    return out;
  }

  async optimizerState(): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
    const state = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const { name, tensor } of await this.optimizer.getWeights()) state.set(name, { shape: tensor.shape, data: tensor.dataSync() as Float32Array });
    return state;
  }

  async setOptimizerState(state: Map<string, { shape: number[]; data: Float32Array }>): Promise<void> {
    const weights = [...state].map(([name, t]) => ({ name, tensor: tf.tensor(t.data, t.shape) }));
    await this.optimizer.setWeights(weights);
  }
}

/** Copies tensors one after another into one flat array (weights or gradients, in weightSpecs order). */
export function writeFlat(tensors: Iterable<tf.Tensor>, flat: Float32Array): void {
  let offset = 0;
  for (const tensor of tensors) {
    const data = tensor.dataSync() as Float32Array;
    flat.set(data, offset);
    offset += data.length;
  }
}

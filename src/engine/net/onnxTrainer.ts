/**
 * The trainer: the training-step graph (trainGraph.ts) run by ONNX Runtime
 * on as many threads as asked. The weights and Adam's moments live here as
 * plain arrays; each step feeds them in with a batch and keeps what comes out.
 */
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { weightCount, weightSize, weightSpecs, type Architecture } from './architecture';
import type { Batch } from '../replay/replayBuffer';
import { flushTiny } from './subnormals';
import { ADAM, buildTrainGraph, TrainNames } from './trainGraph';

export interface StepLosses {
  loss: number;
  policyLoss: number;
  valueLoss: number;
  /** The gradients' global norm before clipping. */
  gradientNorm: number;
}

/** Adam's state: how many updates it has taken, and its two moments per weight. */
export interface AdamState {
  updates: number;
  firstMoment: Map<string, Float32Array>;
  secondMoment: Map<string, Float32Array>;
}

/**
 * Multiply-adds of a forward pass over the batch from which more threads pay: measured on 2 cores,
 * the Connect Four net (102k weights, batch 512: 52M) trains no faster on two threads than on one,
 * a 256-wide one (335k weights: 171M) 1.3x and a 512-wide one (1.2M weights) 1.5x faster.
 */
const MIN_WORK_FOR_THREADS = 100e6;
const MAX_THREADS = 4;

/** ONNX Runtime threads worth giving the step for this network and batch on this machine. */
export function defaultTrainThreads(arch: Architecture, batchSize: number): number {
  return weightCount(arch) * batchSize < MIN_WORK_FOR_THREADS ? 1 : Math.min(availableParallelism(), MAX_THREADS);
}

/** Steps between flushes of subnormal weights and moments (see subnormals.ts for why). */
const FLUSH_EVERY = 25;

export class OnnxTrainer {
  private constructor(
    readonly arch: Architecture,
    private readonly session: ort.InferenceSession,
    private readonly state: Map<string, Float32Array>,
    private updateCount: number,
  ) {}

  /** Adam updates taken so far, over every session that continued this state. */
  get updates(): number {
    return this.updateCount;
  }

  /** A trainer at these weights; Adam starts from `adam`, or from zero moments. */
  static async create(arch: Architecture, weights: Map<string, Float32Array>, adam: AdamState | null, threads: number): Promise<OnnxTrainer> {
    const state = new Map<string, Float32Array>();
    for (const spec of weightSpecs(arch)) {
      const size = weightSize(spec);
      const entries: [string, Float32Array | undefined][] = [
        [TrainNames.weight(spec.name), weights.get(spec.name)],
        [TrainNames.firstMoment(spec.name), adam ? adam.firstMoment.get(spec.name) : new Float32Array(size)],
        [TrainNames.secondMoment(spec.name), adam ? adam.secondMoment.get(spec.name) : new Float32Array(size)],
      ];
      for (const [name, data] of entries) {
        if (!data) throw new Error(`trainer: ${name} is missing`);
        if (data.length !== size) throw new Error(`trainer: ${name} has ${data.length} values, expected ${size} (shape [${spec.shape}])`);
        const copy = Float32Array.from(data);
        flushTiny(copy);
        state.set(name, copy);
      }
    }
    const session = await ort.InferenceSession.create(buildTrainGraph(arch), {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new OnnxTrainer(arch, session, state, adam?.updates ?? 0);
  }

  /** One Adam step on the batch; returns the batch's losses before the step. */
  async step(batch: Batch, learningRate: number): Promise<StepLosses> {
    const { obsSize, actions } = this.arch;
    const n = batch.size;
    const t = this.updateCount + 1;
    const scalar = (x: number) => new ort.Tensor('float32', Float32Array.of(x), []);
    const feeds: Record<string, ort.Tensor> = {
      observation: new ort.Tensor('float32', batch.observation.subarray(0, n * obsSize), [n, obsSize]),
      policy: new ort.Tensor('float32', batch.policy.subarray(0, n * actions), [n, actions]),
      value: new ort.Tensor('float32', batch.value.subarray(0, n), [n]),
      legal: new ort.Tensor('float32', batch.legal.subarray(0, n * actions), [n, actions]),
      [TrainNames.learningRate]: scalar(learningRate),
      [TrainNames.firstCorrection]: scalar(1 / (1 - ADAM.beta1 ** t)),
      [TrainNames.secondCorrection]: scalar(1 / (1 - ADAM.beta2 ** t)),
    };
    for (const spec of weightSpecs(this.arch))
      for (const name of [TrainNames.weight(spec.name), TrainNames.firstMoment(spec.name), TrainNames.secondMoment(spec.name)])
        feeds[name] = new ort.Tensor('float32', this.state.get(name)!, spec.shape);
    const out = await this.session.run(feeds);
    const [loss, policyLoss, valueLoss, gradientNorm] = TrainNames.losses.map((name) => (out[name]!.data as Float32Array)[0]!);
    // A finite norm means every gradient is finite (an infinite one would make the clip 0 and the update NaN).
    if (!Number.isFinite(loss) || !Number.isFinite(gradientNorm))
      throw new Error(`trainer: the loss is ${loss} and the gradient norm ${gradientNorm} at Adam update ${t} (learning rate ${learningRate}); the weights were not changed`);
    this.updateCount = t;
    const flush = t % FLUSH_EVERY === 0;
    for (const name of this.state.keys()) {
      const data = out[TrainNames.updated(name)]!.data as Float32Array;
      if (flush) flushTiny(data);
      this.state.set(name, data);
    }
    return { loss: loss!, policyLoss: policyLoss!, valueLoss: valueLoss!, gradientNorm: gradientNorm! };
  }

  /** Copies of the weights, by name, with subnormal values flushed to zero. */
  weights(): Map<string, Float32Array> {
    return this.copies(TrainNames.weight);
  }

  /** The current weights by name, not copied: valid until the next step replaces them. */
  currentWeights(): Map<string, Float32Array> {
    return new Map(weightSpecs(this.arch).map((spec) => [spec.name, this.state.get(TrainNames.weight(spec.name))!]));
  }

  adamState(): AdamState {
    return { updates: this.updateCount, firstMoment: this.copies(TrainNames.firstMoment), secondMoment: this.copies(TrainNames.secondMoment) };
  }

  private copies(name: (weight: string) => string): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const spec of weightSpecs(this.arch)) {
      const data = Float32Array.from(this.state.get(name(spec.name))!);
      flushTiny(data);
      out.set(spec.name, data);
    }
    return out;
  }

  close(): Promise<void> {
    return this.session.release();
  }
}

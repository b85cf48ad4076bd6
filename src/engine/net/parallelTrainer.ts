/**
 * Data-parallel training on worker threads: tfjs' WebAssembly backend runs
 * one thread per isolate, so a trainer alone leaves every other core idle.
 * Each step, the batch's rows are split between this thread and the
 * workers; each computes its share's gradients on its own copy of the
 * network, this thread sums them weighted by share size (which equals the
 * whole batch's gradient), takes the Adam step and hands the new weights
 * back. The batch, the weights and the gradients live in shared memory.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type Architecture, weightCount } from './architecture';
import type { Network, StepLosses, TrainBatch } from './network';
import { tf } from './tf';

/**
 * Multiply-adds of one forward pass over a thread's rows below which a thread costs more in
 * hand-over than it saves: the tic-tac-toe net (12k weights, batch 256: 3M) trains no faster on
 * two threads than on one, the Connect Four net (101k weights, batch 512: 52M) 1.5-1.9x faster.
 */
const MIN_WORK_PER_THREAD = 16e6;
const MAX_THREADS = 4;

/** Threads worth using for this network and batch on this machine (the cores this process may run on). */
export function defaultTrainThreads(arch: Architecture, batchSize: number): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_THREADS, Math.floor((weightCount(arch) * batchSize) / MIN_WORK_PER_THREAD)));
}

export interface SharedBatch extends TrainBatch {
  buffers: { observation: SharedArrayBuffer; policy: SharedArrayBuffer; value: SharedArrayBuffer; legal: SharedArrayBuffer };
}

/** A batch whose arrays live in shared memory, for sampleBatch to fill in place. */
export function sharedBatch(arch: Architecture, size: number): SharedBatch {
  const buffers = {
    observation: new SharedArrayBuffer(size * arch.obsSize * 4),
    policy: new SharedArrayBuffer(size * arch.actions * 4),
    value: new SharedArrayBuffer(size * 4),
    legal: new SharedArrayBuffer(size * arch.actions * 4),
  };
  return sharedBatchViews(buffers, size);
}

/** The batch over shared buffers (another thread's view of the same memory). */
export function sharedBatchViews(buffers: SharedBatch['buffers'], size: number): SharedBatch {
  return {
    buffers,
    size,
    observation: new Float32Array(buffers.observation),
    policy: new Float32Array(buffers.policy),
    value: new Float32Array(buffers.value),
    legal: new Float32Array(buffers.legal),
  };
}

export interface WorkerSetup {
  arch: Architecture;
  batch: SharedBatch['buffers'];
  batchSize: number;
  weights: SharedArrayBuffer;
  gradients: SharedArrayBuffer;
  /** Int32 slots (see Slot) through which this thread and a worker hand each step over. */
  control: SharedArrayBuffer;
  /** Float64: the worker's loss, policy loss and value loss of the last step. */
  losses: SharedArrayBuffer;
}

/**
 * The step hand-over goes through shared memory and Atomics.wait, not
 * postMessage: a message to a worker waited 9-12 ms for delivery while this
 * thread computed (measured), a tenth of a step.
 */
export const Slot = {
  /** Step number this thread asks for; STOP ends the worker. */
  Request: 0,
  From: 1,
  To: 2,
  /** Step number the worker finished. */
  Done: 3,
  /** 0, or 1 when the worker failed (its message follows by postMessage). */
  Failed: 4,
} as const;
export const STOP = -1;
/** A step that takes longer than this means a lost worker: fail rather than hang. */
const STEP_DEADLINE_MS = 10 * 60_000;

interface Helper {
  worker: Worker;
  control: Int32Array;
  gradients: Float32Array;
  losses: Float64Array;
  error?: Error;
}

export class ParallelTrainer {
  private readonly helpers: Helper[] = [];
  private readonly weights: Float32Array;
  private steps = 0;

  /** `threads` counts this one: 1 trains here alone. */
  constructor(
    private readonly network: Network,
    readonly batch: SharedBatch,
    readonly threads: number,
  ) {
    const total = [...network.variables.values()].reduce((sum, variable) => sum + variable.size, 0);
    const weightBuffer = new SharedArrayBuffer(total * 4);
    this.weights = new Float32Array(weightBuffer);
    network.writeWeightsTo(this.weights);
    for (let i = 1; i < threads; i++) {
      const setup: WorkerSetup = {
        arch: network.arch,
        batch: batch.buffers,
        batchSize: batch.size,
        weights: weightBuffer,
        gradients: new SharedArrayBuffer(total * 4),
        control: new SharedArrayBuffer(8 * 4),
        losses: new SharedArrayBuffer(3 * 8),
      };
      const helper: Helper = {
        worker: spawnWorker(setup),
        control: new Int32Array(setup.control),
        gradients: new Float32Array(setup.gradients),
        losses: new Float64Array(setup.losses),
      };
      helper.worker.on('message', (message: string) => (helper.error ??= new Error(`training thread: ${message}`)));
      helper.worker.on('error', (error) => (helper.error ??= error));
      helper.worker.on('exit', (code) => (helper.error ??= new Error(`a training thread exited (code ${code})`)));
      helper.worker.unref();
      this.helpers.push(helper);
    }
  }

  /** One step over the whole shared batch: the same update as Network.trainStep, computed on every thread. */
  async step(learningRate: number): Promise<StepLosses> {
    if (this.helpers.length === 0) return this.network.trainStep(this.batch, learningRate);
    const step = ++this.steps;
    const { size } = this.batch;
    const bounds = Array.from({ length: this.threads + 1 }, (_, i) => Math.round((i * size) / this.threads));
    this.helpers.forEach((helper, i) => {
      Atomics.store(helper.control, Slot.From, bounds[i + 1]!);
      Atomics.store(helper.control, Slot.To, bounds[i + 2]!);
      Atomics.store(helper.control, Slot.Request, step);
      Atomics.notify(helper.control, Slot.Request);
    });
    const own = this.network.gradients(this.batch, bounds[0]!, bounds[1]!);
    try {
      for (const helper of this.helpers) await this.awaitStep(helper, step);
    } catch (error) {
      tf.dispose(Object.values(own.grads));
      throw error;
    }

    const share = (i: number) => (bounds[i + 1]! - bounds[i]!) / size;
    const summed: Record<string, tf.Tensor> = {};
    let offset = 0;
    for (const variable of this.network.variables.values()) {
      const at = offset;
      summed[variable.name] = tf.tidy(() => {
        let sum = tf.mul(own.grads[variable.name]!, share(0));
        this.helpers.forEach((helper, i) => {
          sum = tf.add(sum, tf.mul(tf.tensor(helper.gradients.subarray(at, at + variable.size), variable.shape), share(i + 1)));
        });
        return sum;
      });
      offset += variable.size;
    }
    tf.dispose(Object.values(own.grads));
    this.network.applyGradients(summed, learningRate);
    this.network.writeWeightsTo(this.weights);

    const all = [own.losses, ...this.helpers.map((h) => ({ loss: h.losses[0]!, policyLoss: h.losses[1]!, valueLoss: h.losses[2]! }))];
    const mean = (key: keyof StepLosses) => all.reduce((sum, l, i) => sum + l[key] * share(i), 0);
    return { loss: mean('loss'), policyLoss: mean('policyLoss'), valueLoss: mean('valueLoss') };
  }

  /** Blocks until the worker finished `step` (its share takes about as long as ours, so the wait is short). */
  private async awaitStep(helper: Helper, step: number): Promise<void> {
    const deadline = performance.now() + STEP_DEADLINE_MS;
    for (;;) {
      if (Atomics.load(helper.control, Slot.Failed) !== 0) {
        // The worker posts its message after raising the flag: let the event loop deliver it.
        for (let i = 0; i < 100 && !helper.error; i++) await new Promise((r) => setTimeout(r, 10));
        throw helper.error ?? new Error('a training thread failed');
      }
      if (helper.error) throw helper.error;
      if (Atomics.load(helper.control, Slot.Done) === step) return;
      if (performance.now() > deadline) throw new Error(`a training thread did not finish step ${step} in ${STEP_DEADLINE_MS / 60_000} minutes`);
      // Short slices, then a turn of the event loop, so a worker that died is noticed.
      if (Atomics.wait(helper.control, Slot.Done, step - 1, 1000) === 'timed-out') await new Promise((r) => setImmediate(r));
    }
  }

  async close(): Promise<void> {
    for (const helper of this.helpers) {
      Atomics.store(helper.control, Slot.Request, STOP);
      Atomics.notify(helper.control, Slot.Request);
    }
    await Promise.all(this.helpers.map((h) => h.worker.terminate()));
  }
}

/** The engine runs from TypeScript sources through tsx; a worker needs the same loader before its module. */
function spawnWorker(setup: WorkerSetup): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(`./trainWorker${fromSources ? '.ts' : '.js'}`, import.meta.url).href;
  const loader = fromSources ? import.meta.resolve('tsx/esm/api') : null;
  const source = loader ? `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });` : `import(${JSON.stringify(entry)});`;
  return new Worker(source, { eval: true, workerData: setup });
}

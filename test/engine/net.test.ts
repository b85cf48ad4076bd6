import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect4 } from '../../src/shared/games/connect4/rules';
import { ticTacToe } from '../../src/shared/games/tictactoe/rules';
import { type Architecture, architectureFor, initialWeights, weightSpecs } from '../../src/engine/net/architecture';
import { checkpointPath, loadInit, saveCheckpoint } from '../../src/engine/net/checkpoint';
import { exportOnnx } from '../../src/engine/net/onnxExport';
import { floatInitializer, forwardGraph, GraphBuilder, valueInfo } from '../../src/engine/net/onnxGraph';
import { loadOnnxEvaluator } from '../../src/engine/net/onnxEvaluator';
import { onnx } from '../../src/engine/net/onnxProto';
import { type AdamState, defaultTrainThreads, OnnxTrainer } from '../../src/engine/net/onnxTrainer';
import { ADAM, CLIP_NORM, WEIGHT_DECAY } from '../../src/engine/net/trainGraph';
import { WeightAverage } from '../../src/engine/net/weightAverage';
import { createRng } from '../../src/shared/random';
import { type Batch, loadReplay, sampleBatch, SEARCH_VALUE_WEIGHT } from '../../src/engine/replay/replayBuffer';
import { encodeSafetensors } from '../../src/engine/replay/safetensors';
import { readShard, writeShard } from '../../src/engine/replay/shardFile';
import type { ShardData } from '../../src/engine/replay/shard';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loopdeck-net-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function randomShard(n: number, obsSize: number, actions: number, seed: number): ShardData {
  const rng = createRng(seed);
  const shard: ShardData = {
    count: n,
    obsSize,
    actions,
    observation: new Float32Array(n * obsSize),
    policy: new Float32Array(n * actions),
    value: new Float32Array(n),
    legal: new Uint8Array(n * actions),
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < obsSize; j++) shard.observation[i * obsSize + j] = rng() < 0.3 ? 1 : 0;
    const target = Math.floor(rng() * actions);
    shard.policy[i * actions + target] = 1;
    for (let a = 0; a < actions; a++) shard.legal[i * actions + a] = 1;
    shard.value[i] = rng() < 0.5 ? 1 : -1;
  }
  return shard;
}

describe('replay shards', () => {
  it('round-trip through safetensors, and a corrupt shard is named and skipped', async () => {
    const replay = join(dir, 'replay');
    await mkdir(replay);
    const shard = randomShard(20, ticTacToe.obsSize, ticTacToe.actions, 1);
    await writeShard(join(replay, 'actor-1-000.safetensors'), shard, 'full');
    const back = await readShard(join(replay, 'actor-1-000.safetensors'), ticTacToe);
    expect(back).toEqual(shard);
    await writeFile(join(replay, 'actor-1-001.safetensors'), Buffer.from('garbage that is not a shard'));
    const logs: string[] = [];
    const loaded = await loadReplay([replay], ticTacToe, (l) => logs.push(l));
    expect(loaded.data.count).toBe(20);
    expect(loaded.skipped.map((s) => s.path)).toEqual([join(replay, 'actor-1-001.safetensors')]);
    expect(logs[0]).toMatch(/skipping corrupt shard .*actor-1-001\.safetensors/);
    await expect(readShard(join(replay, 'actor-1-000.safetensors'), connect4)).rejects.toThrow(new RegExp(`do not fit this game \\(expected ${connect4.obsSize} and 7\\)`));
  });

  it('mixes the game result with the search value where a shard has one; older shards train on the result', async () => {
    const replay = join(dir, 'replay-search-value');
    await mkdir(replay);
    const withSearch = randomShard(10, ticTacToe.obsSize, ticTacToe.actions, 4);
    withSearch.searchValue = Float32Array.from({ length: 10 }, (_, i) => (i - 5) / 10);
    const resultOnly = randomShard(5, ticTacToe.obsSize, ticTacToe.actions, 5);
    await writeShard(join(replay, 'actor-1-000.safetensors'), withSearch, 'full');
    await writeShard(join(replay, 'actor-1-001.safetensors'), resultOnly, 'full');
    expect(await readShard(join(replay, 'actor-1-000.safetensors'), ticTacToe)).toEqual(withSearch);
    const { data } = await loadReplay([replay], ticTacToe, () => {});
    const expected = [...Array.from(withSearch.value, (z, i) => (1 - SEARCH_VALUE_WEIGHT) * z + SEARCH_VALUE_WEIGHT * withSearch.searchValue![i]!), ...resultOnly.value];
    for (const [i, v] of Array.from(data.value).entries()) expect(v).toBeCloseTo(expected[i]!, 6);
    expect(SEARCH_VALUE_WEIGHT).toBeGreaterThan(0);
  });

  it('samples batches under symmetries: the policy moves with the board', () => {
    const shard = randomShard(1, ticTacToe.obsSize, ticTacToe.actions, 2);
    const batch = sampleBatch(shard, ticTacToe, 64, createRng(3));
    for (let b = 0; b < 64; b++) {
      const policy = Array.from(batch.policy.subarray(b * 9, b * 9 + 9));
      expect(policy.reduce((x, y) => x + y, 0)).toBe(1);
    }
  });
});

/** The network's forward pass for one row, in float64: the reference the ONNX graphs are checked against. */
function referenceForward(arch: Architecture, w: Map<string, Float64Array | Float32Array>, x: ArrayLike<number>): { logits: number[]; value: number } {
  const dense = (input: ArrayLike<number>, layer: string) => {
    const m = w.get(`${layer}.w`)!;
    const out = Array.from(w.get(`${layer}.b`)!);
    for (let i = 0; i < input.length; i++) for (let j = 0; j < out.length; j++) out[j]! += input[i]! * m[i * out.length + j]!;
    return out;
  };
  const relu = (v: number[]) => v.map((x) => Math.max(0, x));
  let h = relu(dense(x, 'input'));
  for (let i = 0; i < arch.blocks; i++) {
    const b = dense(relu(dense(h, `block${i}.a`)), `block${i}.b`);
    h = relu(h.map((x, j) => x + b[j]!));
  }
  return { logits: dense(h, 'policy'), value: Math.tanh(dense(relu(dense(h, 'value1')), 'value2')[0]!) };
}

/** The training loss (trainGraph.ts's definition) in float64. */
function referenceLoss(arch: Architecture, w: Map<string, Float64Array | Float32Array>, batch: Batch): { loss: number; policyLoss: number; valueLoss: number } {
  const { obsSize, actions } = arch;
  let policyLoss = 0;
  let valueLoss = 0;
  for (let b = 0; b < batch.size; b++) {
    const { logits, value } = referenceForward(arch, w, batch.observation.subarray(b * obsSize, (b + 1) * obsSize));
    const masked = logits.map((l, a) => l + (batch.legal[b * actions + a]! - 1) * 1e9);
    const max = Math.max(...masked);
    const logSum = max + Math.log(masked.reduce((s, l) => s + Math.exp(l - max), 0));
    for (let a = 0; a < actions; a++) policyLoss -= batch.policy[b * actions + a]! * (masked[a]! - logSum);
    valueLoss += (value - batch.value[b]!) ** 2;
  }
  let squares = 0;
  for (const spec of weightSpecs(arch)) if (spec.name.endsWith('.w')) for (const x of w.get(spec.name)!) squares += x * x;
  policyLoss /= batch.size;
  valueLoss /= batch.size;
  return { loss: policyLoss + valueLoss + WEIGHT_DECAY * squares, policyLoss, valueLoss };
}

/** A batch with some illegal moves and mixed policy targets over the legal ones. */
function randomBatch(arch: Architecture, size: number, seed: number, scale = 1): Batch {
  const rng = createRng(seed);
  const { obsSize, actions } = arch;
  const batch: Batch = {
    size,
    observation: new Float32Array(size * obsSize).map(() => (rng() < 0.4 ? scale : 0)),
    policy: new Float32Array(size * actions),
    value: new Float32Array(size).map(() => rng() * 2 - 1),
    legal: new Float32Array(size * actions).map(() => (rng() < 0.7 ? 1 : 0)),
  };
  for (let b = 0; b < size; b++) {
    batch.legal[b * actions] = 1;
    const legal = Array.from({ length: actions }, (_, a) => a).filter((a) => batch.legal[b * actions + a]);
    const weights = legal.map(() => rng());
    const total = weights.reduce((x, y) => x + y, 0);
    // Every third row's targets sum to one half, so softmax·sum(target) - target is told apart from softmax - target.
    const mass = b % 3 === 2 ? 0.5 : 1;
    legal.forEach((a, i) => {
      batch.policy[b * actions + a] = (mass * weights[i]!) / total;
    });
  }
  return batch;
}

/** Non-zero biases (initialWeights makes them 0), so a bias wired to the wrong layer shows. */
function varyBiases(arch: Architecture, weights: Map<string, Float32Array>): void {
  for (const spec of weightSpecs(arch)) {
    if (!spec.name.endsWith('.b')) continue;
    const bias = weights.get(spec.name)!;
    for (let i = 0; i < bias.length; i++) bias[i] = 0.1 * Math.sin(3 * i + spec.name.length);
  }
}

/** |actual - expected| within `relative` of |expected| plus `absolute`. */
function expectNear(actual: number, expected: number, relative: number, absolute: number, label: string): void {
  expect(Math.abs(actual - expected), `${label}: ${actual} against ${expected}`).toBeLessThanOrEqual(relative * Math.abs(expected) + absolute);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('network', () => {
  for (const game of [ticTacToe, connect4]) {
    it(`${game.id}: the exported ONNX model computes the network to 1e-5 of a float64 reference`, async () => {
      const arch = architectureFor(game);
      const weights = initialWeights(arch, createRng(4));
      varyBiases(arch, weights);
      const path = join(dir, `${game.id}.onnx`);
      await writeFile(path, exportOnnx(arch, weights));
      const evaluator = await loadOnnxEvaluator(path, game);
      const n = 32;
      const obs = randomShard(n, game.obsSize, game.actions, 5).observation;
      const out = await evaluator.evaluate(obs, n);
      await evaluator.close();
      for (let b = 0; b < n; b++) {
        const expected = referenceForward(arch, weights, obs.subarray(b * game.obsSize, (b + 1) * game.obsSize));
        expect(maxDifference(expected.logits, out.policyLogits.subarray(b * game.actions, (b + 1) * game.actions))).toBeLessThan(1e-5);
        expect(Math.abs(expected.value - out.values[b]!)).toBeLessThan(1e-5);
      }
    });
  }

  it('refuses a model of the wrong shape, naming expected and found', async () => {
    const path = join(dir, 'tictactoe.onnx');
    await expect(loadOnnxEvaluator(path, connect4)).rejects.toThrow(
      new RegExp(`does not fit connect4: expected input "observation" \\[batch, ${connect4.obsSize}\\].*Got: ${connect4.obsSize} Expected: 18`, 's'),
    );
  });

  /** The bundled network as another exporter may write it: the batch fixed at 1, or a value of shape [batch]. */
  function exportedElsewhere(arch: Architecture, weights: Map<string, Float32Array>, variant: 'fixed batch' | 'flat value'): Uint8Array {
    const g = new GraphBuilder();
    for (const spec of weightSpecs(arch)) g.initializers.push(floatInitializer(spec.name, spec.shape, weights.get(spec.name)!));
    const batch = variant === 'fixed batch' ? 1 : 'batch';
    forwardGraph(g, arch, 'observation', (name) => name, { logits: 'policy_logits', value: variant === 'flat value' ? 'value_2d' : 'value' });
    if (variant === 'flat value') g.op('Reshape', ['value_2d', g.ints([-1])], {}, 'value');
    return g.encode(
      'elsewhere',
      [valueInfo('observation', [batch, arch.obsSize])],
      [valueInfo('policy_logits', [batch, arch.actions]), valueInfo('value', variant === 'flat value' ? [batch] : [batch, 1])],
    );
  }

  for (const variant of ['fixed batch', 'flat value'] as const) {
    it(`plays a model exported with ${variant === 'fixed batch' ? 'its batch fixed at 1 (one observation at a time)' : 'a value of shape [batch]'}, as the bundled export computes it`, async () => {
      const arch = architectureFor(ticTacToe);
      const weights = initialWeights(arch, createRng(9));
      varyBiases(arch, weights);
      const path = join(dir, `${variant.replace(' ', '-')}.onnx`);
      await writeFile(path, exportedElsewhere(arch, weights, variant));
      const evaluator = await loadOnnxEvaluator(path, ticTacToe);
      expect(evaluator.description).toBe(
        variant === 'fixed batch'
          ? `model ${path}, one observation at a time: its batch size is fixed at 1 (export it with a dynamic batch axis, e.g. torch.onnx.export(..., dynamic_axes={"observation": {0: "batch"}}), to evaluate batches)`
          : `model ${path}`,
      );
      const n = 5;
      const obs = randomShard(n, ticTacToe.obsSize, ticTacToe.actions, 6).observation;
      const out = await evaluator.evaluate(obs, n);
      await evaluator.close();
      expect(out.values).toHaveLength(n);
      for (let b = 0; b < n; b++) {
        const expected = referenceForward(arch, weights, obs.subarray(b * ticTacToe.obsSize, (b + 1) * ticTacToe.obsSize));
        expect(maxDifference(expected.logits, out.policyLogits.subarray(b * ticTacToe.actions, (b + 1) * ticTacToe.actions))).toBeLessThan(1e-5);
        expect(Math.abs(expected.value - out.values[b]!)).toBeLessThan(1e-5);
      }
    });
  }

  // A network small enough to difference every weight: 2 blocks, so the residual path is covered.
  const tiny: Architecture = { obsSize: 5, actions: 3, hidden: 4, blocks: 2, valueHidden: 3 };

  for (const [label, scale] of [
    ['within the clipping norm', 1],
    ['clipped to the global norm', 40],
  ] as const) {
    it(`takes Adam's step on the loss's exact gradients (finite differences), ${label}`, async () => {
      const start = initialWeights(tiny, createRng(20));
      varyBiases(tiny, start);
      const batch = randomBatch(tiny, 6, 21, scale);
      // Mid-run moments, so the bias corrections of a later update (t = 10) are checked too.
      const rng = createRng(22);
      const before: AdamState = { updates: 9, firstMoment: new Map(), secondMoment: new Map() };
      for (const [name, w] of start) {
        before.firstMoment.set(
          name,
          new Float32Array(w.length).map(() => (rng() - 0.5) * 0.02),
        );
        before.secondMoment.set(
          name,
          new Float32Array(w.length).map(() => rng() * 1e-3),
        );
      }
      const trainer = await OnnxTrainer.create(tiny, start, before, 1);
      const lr = 0.01;
      const losses = await trainer.step(batch, lr);
      const after = trainer.weights();
      const adam = trainer.adamState();
      await trainer.close();

      const w64 = new Map([...start].map(([name, data]) => [name, Float64Array.from(data)]));
      const expected = referenceLoss(tiny, w64, batch);
      expectNear(losses.loss, expected.loss, 1e-5, 1e-6, 'loss');
      expectNear(losses.policyLoss, expected.policyLoss, 1e-5, 1e-6, 'policy loss');
      expectNear(losses.valueLoss, expected.valueLoss, 1e-5, 1e-6, 'value loss');

      const numeric = new Map<string, number[]>();
      let squaredNorm = 0;
      const h = 1e-5;
      for (const [name, data] of w64) {
        const grads: number[] = [];
        for (let i = 0; i < data.length; i++) {
          const x = data[i]!;
          data[i] = x + h;
          const up = referenceLoss(tiny, w64, batch).loss;
          data[i] = x - h;
          const down = referenceLoss(tiny, w64, batch).loss;
          data[i] = x;
          grads.push((up - down) / (2 * h));
        }
        numeric.set(name, grads);
        squaredNorm += grads.reduce((s, g) => s + g * g, 0);
      }
      const norm = Math.sqrt(squaredNorm);
      expectNear(losses.gradientNorm, norm, 1e-4, 1e-6, 'gradient norm');
      if (scale > 1) expect(norm).toBeGreaterThan(CLIP_NORM);
      else expect(norm).toBeLessThan(CLIP_NORM);
      const clip = Math.min(1, CLIP_NORM / (norm + 1e-6));

      const t = 10;
      for (const [name, grads] of numeric) {
        grads.forEach((g, i) => {
          const clipped = g * clip;
          const m = ADAM.beta1 * before.firstMoment.get(name)![i]! + (1 - ADAM.beta1) * clipped;
          const v = ADAM.beta2 * before.secondMoment.get(name)![i]! + (1 - ADAM.beta2) * clipped * clipped;
          const step = (lr * m) / (1 - ADAM.beta1 ** t) / (Math.sqrt(v / (1 - ADAM.beta2 ** t)) + ADAM.epsilon);
          expectNear(adam.firstMoment.get(name)![i]!, m, 1e-3, 1e-8, `${name}[${i}] first moment`);
          expectNear(adam.secondMoment.get(name)![i]!, v, 1e-3, 1e-11, `${name}[${i}] second moment`);
          expectNear(start.get(name)![i]! - after.get(name)![i]!, step, 1e-3, 1e-7, `${name}[${i}] update`);
        });
      }
      expect(adam.updates).toBe(t);
    });
  }

  it('learns, and a run resumed from its checkpoint takes exactly the steps an uninterrupted one does', async () => {
    const shard = randomShard(64, ticTacToe.obsSize, ticTacToe.actions, 6);
    const arch = architectureFor(ticTacToe);
    const rng = createRng(7);
    const trainer = await OnnxTrainer.create(arch, initialWeights(arch, rng), null, 1);
    const batch = sampleBatch(shard, ticTacToe, 64, rng);
    const first = (await trainer.step(batch, 0.01)).loss;
    let last = first;
    for (let i = 0; i < 150; i++) last = (await trainer.step(sampleBatch(shard, ticTacToe, 64, rng, batch), 0.01)).loss;
    expect(last).toBeLessThan(first * 0.6);

    const onnxPath = join(dir, 'iter-0001.onnx');
    await writeFile(onnxPath, exportOnnx(arch, trainer.weights()));
    // A schedule step unlike the update count, so the test tells which one the checkpoint gives back.
    await saveCheckpoint(checkpointPath(onnxPath), arch, trainer.weights(), trainer.adamState(), 1151);
    const loaded = await loadInit(onnxPath, arch);
    if ('reason' in loaded) throw new Error(loaded.reason);
    expect(loaded.source).toMatch(/weights and optimizer state/);
    expect(loaded.adam!.updates).toBe(151);
    const resumed = await OnnxTrainer.create(arch, loaded.weights, loaded.adam, 1);
    const next = sampleBatch(shard, ticTacToe, 64, rng);
    const a = await trainer.step(next, 0.01);
    const b = await resumed.step(next, 0.01);
    expect(b.loss).toBe(a.loss);
    for (const [name, w] of trainer.weights()) expect(resumed.weights().get(name), name).toEqual(w);
    await Promise.all([trainer.close(), resumed.close()]);

    // Without the checkpoint, the ONNX file's own weights are used.
    await rm(checkpointPath(onnxPath));
    const fromOnnx = await loadInit(onnxPath, arch);
    expect('reason' in fromOnnx ? fromOnnx.reason : fromOnnx.source).toMatch(/its weights; no optimizer state/);
    const other = await loadInit(onnxPath, architectureFor(connect4));
    expect('reason' in other && other.reason).toMatch(/not this engine's network/);
  });

  it('keeps a moving average of the weights that folds in each update, the first ones faster, and the checkpoint gives it back', async () => {
    const shard = randomShard(64, ticTacToe.obsSize, ticTacToe.actions, 8);
    const arch = architectureFor(ticTacToe);
    const rng = createRng(9);
    const trainer = await OnnxTrainer.create(arch, initialWeights(arch, rng), null, 1);
    const average = WeightAverage.startingAt(trainer.currentWeights(), 0.95);
    expect(average.decayAt(1)).toBeCloseTo(2 / 11, 12);
    expect(average.decayAt(1000)).toBe(0.95);
    // A float64 reference of the same average.
    const reference = new Map([...trainer.weights()].map(([name, w]) => [name, Float64Array.from(w)]));
    let batch: Batch | undefined;
    for (let i = 0; i < 80; i++) {
      batch = sampleBatch(shard, ticTacToe, 32, rng, batch);
      await trainer.step(batch, 0.01);
      average.add(trainer.currentWeights(), trainer.updates);
      const keep = Math.min(0.95, (1 + trainer.updates) / (10 + trainer.updates));
      for (const [name, w] of trainer.currentWeights()) {
        const ref = reference.get(name)!;
        for (let k = 0; k < ref.length; k++) ref[k] = keep * ref[k]! + (1 - keep) * w[k]!;
      }
    }
    const averaged = average.values();
    let apart = 0;
    for (const [name, w] of trainer.weights()) {
      const got = averaged.get(name)!;
      const ref = reference.get(name)!;
      for (let k = 0; k < ref.length; k++) {
        expect(Math.abs(got[k]! - ref[k]!), `${name}[${k}]`).toBeLessThan(1e-5 + 1e-4 * Math.abs(ref[k]!));
        apart = Math.max(apart, Math.abs(got[k]! - w[k]!));
      }
    }
    // The average lags the weights: it is not a copy of them.
    expect(apart).toBeGreaterThan(1e-3);

    const onnxPath = join(dir, 'averaged-iter-0001.onnx');
    await saveCheckpoint(checkpointPath(onnxPath), arch, trainer.weights(), trainer.adamState(), 80, averaged);
    await writeFile(onnxPath, exportOnnx(arch, averaged));
    const loaded = await loadInit(onnxPath, arch);
    if ('reason' in loaded) throw new Error(loaded.reason);
    expect(loaded.source).toMatch(/their moving average/);
    for (const [name, w] of averaged) expect(loaded.average!.get(name), name).toEqual(w);
    for (const [name, w] of trainer.weights()) expect(loaded.weights.get(name), name).toEqual(w);
    // A checkpoint whose average lacks a weight restarts the average instead of failing later.
    const partial = new Map(averaged);
    partial.delete('policy.b');
    await saveCheckpoint(checkpointPath(onnxPath), arch, trainer.weights(), trainer.adamState(), 80, partial);
    const damaged = await loadInit(onnxPath, arch);
    if ('reason' in damaged) throw new Error(damaged.reason);
    expect(damaged.average).toBeNull();
    expect(damaged.source).toMatch(/moving average is incomplete and restarts at the weights/);
    await trainer.close();
    expect(() => WeightAverage.startingAt(averaged, 1)).toThrow(/decay must be between 0 and 1/);
  });

  it("reads the earlier TensorFlow.js trainer's checkpoints: its moments by name, its update count from the step", async () => {
    const arch = architectureFor(ticTacToe);
    const weights = initialWeights(arch, createRng(30));
    const tensors: Parameters<typeof encodeSafetensors>[0] = {
      // That trainer wrote its int32 count's bits under an F32 label.
      'adam/iter': { dtype: 'F32', shape: [], data: new Float32Array(Int32Array.of(400).buffer) },
    };
    weightSpecs(arch).forEach((spec, k) => {
      tensors[`weight/${spec.name}`] = { dtype: 'F32', shape: spec.shape, data: weights.get(spec.name)! };
      tensors[`adam/net1/${spec.name}/m`] = { dtype: 'F32', shape: spec.shape, data: new Float32Array(weights.get(spec.name)!.length).fill(k + 1) };
      tensors[`adam/net1/${spec.name}/v`] = { dtype: 'F32', shape: spec.shape, data: new Float32Array(weights.get(spec.name)!.length).fill(k + 100) };
    });
    const onnxPath = join(dir, 'old-iter-0002.onnx');
    await writeFile(onnxPath, exportOnnx(arch, weights));
    await writeFile(checkpointPath(onnxPath), encodeSafetensors(tensors, { step: '800', architecture: JSON.stringify(arch) }));
    const loaded = await loadInit(onnxPath, arch);
    if ('reason' in loaded) throw new Error(loaded.reason);
    expect(loaded.adam!.updates).toBe(800);
    weightSpecs(arch).forEach((spec, k) => {
      expect(loaded.adam!.firstMoment.get(spec.name)![0]).toBe(k + 1);
      expect(loaded.adam!.secondMoment.get(spec.name)![0]).toBe(k + 100);
    });
    const trainer = await OnnxTrainer.create(arch, loaded.weights, loaded.adam, 1);
    expect(Number.isFinite((await trainer.step(randomBatch(arch, 8, 31), 0.001)).loss)).toBe(true);
    await trainer.close();
  });

  it('a step whose loss is not finite fails, naming it, and leaves the weights as they were', async () => {
    const trainer = await OnnxTrainer.create(tiny, initialWeights(tiny, createRng(40)), null, 1);
    const before = trainer.weights();
    const batch = randomBatch(tiny, 4, 41);
    batch.value[2] = Number.NaN;
    await expect(trainer.step(batch, 0.01)).rejects.toThrow(/the loss is NaN and the gradient norm NaN at Adam update 1 .*the weights were not changed/);
    expect(trainer.weights()).toEqual(before);
    expect(trainer.adamState().updates).toBe(0);
    await trainer.close();
  });

  it("keeps float32 subnormals out of the weights, Adam's moments and the exported model", async () => {
    const rng = createRng(9);
    const arch = architectureFor(ticTacToe);
    const weights = initialWeights(arch, rng);
    // Weights that no data reaches and weight decay has shrunk into the subnormal range.
    const input = weights.get('input.w')!;
    for (let i = 0; i < 500; i++) input[i * 3] = (i % 2 ? 1 : -1) * 3e-39;
    const subnormals = (data: Float32Array) => data.filter((x) => x !== 0 && Math.abs(x) < 1.1754944e-38).length;
    expect(subnormals(input)).toBeGreaterThan(100);
    const model = onnx.ModelProto.decode(exportOnnx(arch, weights));
    for (const t of model.graph!.initializer!) expect(subnormals(new Float32Array(Uint8Array.from(t.rawData!).buffer))).toBe(0);

    // What ONNX Runtime computes with is the trainer's own state (weights() hands out flushed copies).
    const trainer = await OnnxTrainer.create(arch, weights, null, 1);
    const state = () => (trainer as unknown as { state: Map<string, Float32Array> }).state;
    for (const [name, data] of state()) expect(subnormals(data), `${name} as given`).toBe(0);
    const shard = randomShard(64, ticTacToe.obsSize, ticTacToe.actions, 10);
    const batch = sampleBatch(shard, ticTacToe, 64, rng);
    for (let i = 0; i < 25; i++) await trainer.step(sampleBatch(shard, ticTacToe, 64, rng, batch), 0.001);
    for (const [name, data] of state()) expect(subnormals(data), `${name} after 25 steps`).toBe(0);
    await trainer.close();
  });

  it('trains on several threads with the same updates as on one', async () => {
    const shard = randomShard(200, connect4.obsSize, connect4.actions, 11);
    const arch = architectureFor(connect4);
    const initial = initialWeights(arch, createRng(12));
    const run = async (threads: number) => {
      const trainer = await OnnxTrainer.create(arch, initial, null, threads);
      const rng = createRng(13);
      const losses: number[] = [];
      const batch = sampleBatch(shard, connect4, 100, rng);
      for (let i = 0; i < 5; i++) losses.push((await trainer.step(sampleBatch(shard, connect4, 100, rng, batch), 0.01)).loss);
      const weights = trainer.weights();
      await trainer.close();
      return { losses, weights };
    };
    const one = await run(1);
    const three = await run(3);
    for (let i = 0; i < 5; i++) expect(three.losses[i]).toBeCloseTo(one.losses[i]!, 4);
    expect(one.losses[4]).toBeLessThan(one.losses[0]!);
    for (const [name, w] of one.weights) expect(maxDifference(w, three.weights.get(name)!), name).toBeLessThan(1e-4);
    expect(one.weights.get('policy.w')).not.toEqual(initial.get('policy.w'));
  });

  it('gives the step more threads only where the network has the work for them', () => {
    expect(defaultTrainThreads(architectureFor(ticTacToe), 256)).toBe(1);
    expect(defaultTrainThreads(architectureFor(connect4), 512)).toBe(1);
    expect(defaultTrainThreads({ ...architectureFor(connect4), hidden: 256 }, 512)).toBe(Math.min(availableParallelism(), 4));
  });
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect4 } from '../../src/shared/games/connect4/rules';
import { ticTacToe } from '../../src/shared/games/tictactoe/rules';
import { architectureFor } from '../../src/engine/net/architecture';
import { checkpointPath, loadInit, saveCheckpoint } from '../../src/engine/net/checkpoint';
import { Network } from '../../src/engine/net/network';
import { defaultTrainThreads, ParallelTrainer, sharedBatch } from '../../src/engine/net/parallelTrainer';
import { exportOnnx } from '../../src/engine/net/onnxExport';
import { loadOnnxEvaluator } from '../../src/engine/net/onnxEvaluator';
import { initTf } from '../../src/engine/net/tf';
import { createRng } from '../../src/shared/random';
import { loadReplay, sampleBatch, SEARCH_VALUE_WEIGHT } from '../../src/engine/replay/replayBuffer';
import { readShard, writeShardAtomic } from '../../src/engine/replay/safetensors';
import type { ShardData } from '../../src/engine/replay/shard';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loopdeck-net-'));
  await initTf();
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
    await writeShardAtomic(join(replay, 'actor-1-000.safetensors'), shard);
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
    await writeShardAtomic(join(replay, 'actor-1-000.safetensors'), withSearch);
    await writeShardAtomic(join(replay, 'actor-1-001.safetensors'), resultOnly);
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

describe('network', () => {
  for (const game of [ticTacToe, connect4]) {
    it(`${game.id}: ONNX Runtime and TensorFlow.js agree to 1e-5 on random boards`, async () => {
      const net = Network.fresh(game, createRng(4));
      const path = join(dir, `${game.id}.onnx`);
      await writeFile(path, exportOnnx(net.arch, net.weights()));
      const evaluator = await loadOnnxEvaluator(path, game);
      const n = 32;
      const obs = randomShard(n, game.obsSize, game.actions, 5).observation;
      const tfOut = net.predict(obs, n);
      const ortOut = await evaluator.evaluate(obs, n);
      await evaluator.close();
      let maxDiff = 0;
      for (let i = 0; i < tfOut.logits.length; i++) maxDiff = Math.max(maxDiff, Math.abs(tfOut.logits[i]! - ortOut.policyLogits[i]!));
      for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(tfOut.value[i]! - ortOut.values[i]!));
      expect(maxDiff).toBeLessThan(1e-5);
    });
  }

  it('refuses a model of the wrong shape, naming expected and found', async () => {
    const path = join(dir, 'tictactoe.onnx');
    await expect(loadOnnxEvaluator(path, connect4)).rejects.toThrow(
      new RegExp(`does not fit connect4: expected input "observation" \\[batch, ${connect4.obsSize}\\].*Got: ${connect4.obsSize} Expected: 18`, 's'),
    );
  });

  it('learns: the loss on a small fixed set drops clearly, and a checkpoint continues it', async () => {
    const shard = randomShard(64, ticTacToe.obsSize, ticTacToe.actions, 6);
    const rng = createRng(7);
    const net = Network.fresh(ticTacToe, rng);
    const batch = sampleBatch(shard, ticTacToe, 64, rng);
    const first = net.trainStep(batch, 0.01).loss;
    let last = first;
    for (let i = 0; i < 150; i++) last = net.trainStep(sampleBatch(shard, ticTacToe, 64, rng, batch), 0.01).loss;
    expect(last).toBeLessThan(first * 0.6);

    const onnxPath = join(dir, 'iter-0001.onnx');
    await writeFile(onnxPath, exportOnnx(net.arch, net.weights()));
    await saveCheckpoint(checkpointPath(onnxPath), net, 151);
    const loaded = await loadInit(onnxPath, architectureFor(ticTacToe));
    if ('reason' in loaded) throw new Error(loaded.reason);
    expect(loaded.source).toMatch(/weights and optimizer state/);
    const resumed = new Network(net.arch, loaded.weights);
    await resumed.setOptimizerState(loaded.adam!);
    expect(resumed.predict(shard.observation, 4).logits).toEqual(net.predict(shard.observation, 4).logits);

    // Without the checkpoint, the ONNX file's own weights are used.
    await rm(checkpointPath(onnxPath));
    const fromOnnx = await loadInit(onnxPath, architectureFor(ticTacToe));
    expect('reason' in fromOnnx ? fromOnnx.reason : fromOnnx.source).toMatch(/its weights; no optimizer state/);
    const other = await loadInit(onnxPath, architectureFor(connect4));
    expect('reason' in other && other.reason).toMatch(/not this engine's network/);
  });

  it("keeps float32 subnormals out of the weights, Adam's moments and the exported model", async () => {
    const rng = createRng(9);
    const arch = architectureFor(ticTacToe);
    const weights = Network.initialWeights(arch, rng);
    // Weights that no data reaches and weight decay has shrunk into the subnormal range.
    const input = weights.get('input.w')!;
    for (let i = 0; i < 500; i++) input[i * 3] = (i % 2 ? 1 : -1) * 3e-39;
    const net = new Network(arch, weights);
    const subnormals = (data: Float32Array) => data.filter((x) => x !== 0 && Math.abs(x) < 1.1754944e-38).length;
    expect(subnormals(net.variables.get('input.w')!.dataSync() as Float32Array)).toBeGreaterThan(100);
    const onnx = (await import('../../src/engine/net/onnxProto')).onnx.ModelProto.decode(exportOnnx(arch, weights));
    for (const t of onnx.graph!.initializer!) expect(subnormals(new Float32Array(Uint8Array.from(t.rawData!).buffer))).toBe(0);
    expect(subnormals(net.weights().get('input.w')!)).toBe(0);

    const shard = randomShard(64, ticTacToe.obsSize, ticTacToe.actions, 10);
    const batch = sampleBatch(shard, ticTacToe, 64, rng);
    for (let i = 0; i < 25; i++) net.trainStep(sampleBatch(shard, ticTacToe, 64, rng, batch), 0.001);
    for (const v of net.variables.values()) expect(subnormals(v.dataSync() as Float32Array)).toBe(0);
    for (const { tensor } of await (net as unknown as { optimizer: { getWeights(): Promise<{ tensor: { dataSync(): Float32Array } }[]> } }).optimizer.getWeights())
      expect(subnormals(tensor.dataSync())).toBe(0);
  });

  it('trains on several threads with the same updates as on one (the batch split, gradients summed by share)', async () => {
    const shard = randomShard(200, connect4.obsSize, connect4.actions, 11);
    const arch = architectureFor(connect4);
    const initial = Network.initialWeights(arch, createRng(12));
    const run = async (threads: number) => {
      const net = new Network(arch, initial);
      // 100 rows over 3 threads: shares of 33, 34 and 33 rows.
      const trainer = new ParallelTrainer(net, sharedBatch(arch, 100), threads);
      const rng = createRng(13);
      const losses: number[] = [];
      try {
        for (let i = 0; i < 5; i++) {
          sampleBatch(shard, connect4, 100, rng, trainer.batch);
          losses.push((await trainer.step(0.01)).loss);
        }
      } finally {
        await trainer.close();
      }
      return { losses, weights: net.weights() };
    };
    const one = await run(1);
    const three = await run(3);
    for (let i = 0; i < 5; i++) expect(three.losses[i]).toBeCloseTo(one.losses[i]!, 4);
    expect(one.losses[4]).toBeLessThan(one.losses[0]!);
    for (const [name, w] of one.weights) {
      const other = three.weights.get(name)!;
      let worst = 0;
      for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(w[i]! - other[i]!));
      expect(worst, name).toBeLessThan(1e-4);
    }
    // Not a no-op: the weights moved from where they started.
    expect(one.weights.get('policy.w')).not.toEqual(initial.get('policy.w'));
  });

  it('a training thread that fails fails the step with its reason instead of hanging', async () => {
    const arch = architectureFor(connect4);
    const net = new Network(arch, Network.initialWeights(arch, createRng(14)));
    // The workers build their network from this (wrong) shape, so their weights do not fit.
    const misdescribed = new Proxy(net, { get: (target, key) => (key === 'arch' ? { ...arch, hidden: arch.hidden * 2 } : Reflect.get(target, key)) });
    const trainer = new ParallelTrainer(misdescribed, sharedBatch(arch, 64), 2);
    try {
      await expect(trainer.step(0.01)).rejects.toThrow(/^training thread: .*shape/);
    } finally {
      await trainer.close();
    }
  });

  it('uses threads only where the step has the work for them: not for tic-tac-toe, every core (up to 3 here) for Connect Four', () => {
    expect(defaultTrainThreads(architectureFor(ticTacToe), 256)).toBe(1);
    expect(defaultTrainThreads(architectureFor(connect4), 512)).toBe(Math.min(availableParallelism(), 3));
    expect(defaultTrainThreads(architectureFor(connect4), 64)).toBe(1);
  });
});

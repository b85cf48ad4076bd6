/**
 * loopdeck-engine train --game G --replay DIR... --init <onnx|none> --steps N
 *   --start-step S --batch-size B --lr LR --out <onnx> [--seed N] [--threads N] [--ema-decay D]
 * Trains on the replay folders' shards and writes the ONNX model and its
 * checkpoint atomically. With a moving average of the weights (the game's
 * default, or --ema-decay), the model holds the average.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NO_MODEL } from '../../shared/protocol';
import { Flags } from '../flags';
import { gameSpec } from '../../shared/games';
import { emitter, logger } from '../io';
import { architectureFor, initialWeights } from '../net/architecture';
import { checkpointPath, loadInit, saveCheckpoint } from '../net/checkpoint';
import { exportOnnx } from '../net/onnxExport';
import { defaultTrainThreads, OnnxTrainer, type AdamState, type StepLosses } from '../net/onnxTrainer';
import { learningRateAt } from '../net/schedule';
import { WeightAverage } from '../net/weightAverage';
import { CLIP_NORM } from '../net/trainGraph';
import { createRng } from '../../shared/random';
import { type Batch, loadReplay, sampleBatch } from '../replay/replayBuffer';
import { writeFileAtomic } from '../../node/atomicWrite';

export async function run(argv: string[]): Promise<number> {
  const log = logger('train');
  const emit = emitter('train');
  const flags = Flags.of('train', argv, ['seed', 'threads', 'ema-decay'] as const);
  const spec = gameSpec(flags.string('game'));
  const game = spec.rules;
  const replayDirs = flags.list('replay');
  const init = flags.string('init', NO_MODEL);
  const steps = flags.number('steps', { int: true, min: 1 });
  const startStep = flags.number('start-step', { int: true, min: 0, fallback: 0 });
  const batchSize = flags.number('batch-size', { int: true, min: 1, max: 65536 });
  const lr = flags.number('lr', { min: 0, max: 1 });
  const out = flags.string('out');
  // Not a protocol flag (the orchestrator never sends it); the step keeps iterations' sampling apart.
  const seed = flags.number('seed', { int: true, min: 0, fallback: 1 + startStep });
  // Not a protocol flag either: ONNX Runtime threads for the step; by default more than one only for big networks.
  const arch = architectureFor(game);
  const threads = flags.number('threads', { int: true, min: 1, max: 64, fallback: defaultTrainThreads(arch, batchSize) });
  // Not a protocol flag either: the decay of the weights' moving average that the model holds (0: none).
  const emaDecay = flags.number('ema-decay', { min: 0, max: 0.999999, fallback: spec.trainer.emaDecay });
  if (init !== NO_MODEL && !existsSync(init)) throw new Error(`train: --init ${init}: no such model file (pass --init none for fresh weights)`);

  const rng = createRng(seed);
  const replay = await loadReplay(replayDirs, game, log);
  if (replay.data.count === 0) throw new Error(`train: --replay ${replayDirs.join(' ')}: no readable positions (${replay.skipped.length} shards skipped)`);
  log(`${replay.data.count} positions from ${replay.shards} shards${replay.skipped.length ? `, ${replay.skipped.length} corrupt shards skipped` : ''}`);

  let start: { weights: Map<string, Float32Array>; adam: AdamState | null; average: Map<string, Float32Array> | null } | null = null;
  if (init === NO_MODEL) log(`fresh ${JSON.stringify(arch)} network`);
  else {
    const loaded = await loadInit(init, arch);
    if ('reason' in loaded) log(`starting from fresh weights: ${loaded.reason}`);
    else {
      start = loaded;
      log(`continuing from ${loaded.source}`);
    }
  }

  const progressEvery = Math.max(1, Math.floor(steps / 50));
  const started = performance.now();
  let windowStart = started;
  let windowSamples = 0;
  let last: StepLosses = { loss: NaN, policyLoss: NaN, valueLoss: NaN, gradientNorm: NaN };
  const startWeights = start?.weights ?? initialWeights(arch, rng);
  const trainer = await OnnxTrainer.create(arch, startWeights, start?.adam ?? null, threads);
  // A model without an average of its own (fresh, or from another trainer) starts the average at its weights.
  const average = emaDecay > 0 ? WeightAverage.startingAt(start?.average ?? startWeights, emaDecay) : null;
  if (threads > 1) log(`training on ${threads} threads`);
  let batch: Batch | undefined;
  let weights: Map<string, Float32Array>;
  let adam: AdamState;
  try {
    for (let s = 0; s < steps; s++) {
      batch = sampleBatch(replay.data, game, batchSize, rng, batch);
      const step = startStep + s;
      const rate = learningRateAt(lr, step);
      last = await trainer.step(batch, rate);
      average?.add(trainer.currentWeights(), trainer.updates);
      windowSamples += batchSize;
      if ((s + 1) % progressEvery === 0 || s + 1 === steps) {
        const now = performance.now();
        emit({
          event: 'progress',
          step: step + 1,
          loss: last.loss,
          policy_loss: last.policyLoss,
          value_loss: last.valueLoss,
          lr: rate,
          samples_per_sec: (windowSamples * 1000) / Math.max(1, now - windowStart),
        });
        windowStart = now;
        windowSamples = 0;
      }
    }
    weights = trainer.weights();
    adam = trainer.adamState();
  } finally {
    await trainer.close();
  }
  const seconds = (performance.now() - started) / 1000;
  log(
    `${steps} steps in ${seconds.toFixed(1)} s (${Math.round((steps * batchSize) / seconds)} samples/s), loss ${last.loss.toFixed(4)}, gradient norm ${last.gradientNorm.toFixed(3)} (clipped above ${CLIP_NORM})`,
  );

  await mkdir(dirname(out), { recursive: true });
  // The checkpoint first: the orchestrator takes the ONNX file as the sign that training finished.
  const averaged = average?.values() ?? null;
  await saveCheckpoint(checkpointPath(out), arch, weights, adam, startStep + steps, averaged);
  await writeFileAtomic(out, Buffer.from(exportOnnx(arch, averaged ?? weights)));
  emit({ event: 'done', step: startStep + steps, loss: last.loss });
  return 0;
}

/**
 * Training phase: one trainer process trains stepsPerIteration steps on the
 * replay of the last replayWindow iterations, from the previous model, and
 * writes models/iter-NNNN.onnx.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { NO_MODEL } from '../../shared/protocol';
import type { LossPoint } from '../../shared/stats';
import { numberField, type ProtocolMessage } from './process/childProcess';
import { ProcessFailedError } from './process/processFailedError';
import { OrderedEmitter, ProgressReporter, spawnPhaseProcess, withPhaseRetries, type PhaseContext } from './phaseContext';

export interface TrainResult {
  steps: number;
  finalLoss: number | null;
  seconds: number;
  processSeconds: number;
}

export interface TrainOptions {
  /** Model to continue from, or null for fresh weights. */
  init: string | null;
  /** Trainer steps already taken in this run (the learning-rate schedule continues from here). */
  startStep: number;
  /** The peak rate this iteration (the run's, lowered in its cooldown). */
  learningRate: number;
}

/** Replay folders of the last replayWindow iterations that exist, oldest first. */
export function replayDirs(ctx: PhaseContext): string[] {
  const dirs: string[] = [];
  for (let i = ctx.iteration - ctx.config.replayWindow + 1; i <= ctx.iteration; i++) {
    // Before a branch's iteration 1 the window reaches into the parent's replay, when it was copied.
    const dir = i >= 1 ? ctx.paths.replayDir(i) : ctx.parent ? ctx.paths.parentReplayDir(ctx.parent.iteration + i) : null;
    if (dir && existsSync(dir)) dirs.push(dir);
  }
  return dirs;
}

export async function runTraining(ctx: PhaseContext, options: TrainOptions): Promise<TrainResult> {
  const { config, paths, iteration } = ctx;
  const total = config.stepsPerIteration;
  const out = paths.model(iteration);
  await ctx.emit({ type: 'phase.started', iteration, phase: 'train', total });
  const started = performance.now();
  const progress = new ProgressReporter(ctx, 'train', total);
  let finalLoss: number | null = null;
  let lastStep = options.startStep;
  let processSeconds = 0;
  const name = 'trainer';
  const losses = new OrderedEmitter(ctx);

  await withPhaseRetries(ctx, name, async () => {
    await mkdir(paths.modelsDir, { recursive: true });
    await rm(out, { force: true });
    const result = await spawnPhaseProcess(ctx, {
      name,
      role: 'trainer',
      subcommand: 'train',
      flags: {
        game: config.game,
        replay: replayDirs(ctx),
        init: options.init ?? NO_MODEL,
        steps: total,
        'start-step': options.startStep,
        'batch-size': config.batchSize,
        lr: options.learningRate,
        out,
      },
      onMessage: (m: ProtocolMessage) => {
        if (m.event === 'progress') {
          const point: LossPoint = {
            iteration,
            step: numberField(m, 'step'),
            loss: numberField(m, 'loss'),
            policy_loss: optionalNum(m, 'policy_loss'),
            value_loss: optionalNum(m, 'value_loss'),
            lr: optionalNum(m, 'lr'),
            samples_per_sec: optionalNum(m, 'samples_per_sec'),
            timestamp: new Date().toISOString(),
          };
          lastStep = point.step;
          finalLoss = point.loss;
          losses.push({ type: 'train.progress', point });
          progress.report(point.step - options.startStep, () => (point.samples_per_sec === null ? {} : { samples_per_sec: point.samples_per_sec }));
        } else if (m.event === 'done') {
          lastStep = numberField(m, 'step');
          finalLoss = numberField(m, 'loss');
        }
      },
    });
    processSeconds += result.seconds;
    if (!existsSync(out) || statSync(out).size === 0)
      throw new ProcessFailedError({ processName: name, argv: result.argv, reason: `exited 0 but wrote no model at ${out}`, exitCode: 0, signal: null, stalled: false, cancelled: false, logTail: [] });
  });
  // A loss point that could not be journaled (a full disk) fails the phase here, never silently.
  await losses.drain();
  const seconds = (performance.now() - started) / 1000;
  await ctx.emit({ type: 'phase.completed', iteration, phase: 'train', seconds });
  return { steps: Math.max(0, lastStep - options.startStep) || total, finalLoss, seconds, processSeconds };
}

function optionalNum(message: ProtocolMessage, key: string): number | null {
  const value = message[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Training phase: one trainer process trains stepsPerIteration steps on the
 * replay of the last replayWindow iterations, from the previous model, and
 * writes models/iter-NNNN.onnx.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { NO_MODEL } from '../../shared/protocol';
import type { LossPoint } from '../../shared/stats';
import { ProcessFailedError } from './process/processFailedError';
import { OrderedEmitter, runPhase, spawnPhaseProcess, withPhaseRetries, type PhaseContext } from './phaseContext';

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

/** Loss points journaled per iteration, at most (the trainer's last one always among them). */
export const LOSS_POINTS_PER_ITERATION = 8;

export async function runTraining(ctx: PhaseContext, options: TrainOptions): Promise<TrainResult> {
  const { config, paths, iteration } = ctx;
  const total = config.stepsPerIteration;
  const out = paths.model(iteration);
  const name = 'trainer';
  let finalLoss: number | null = null;
  let lastStep = options.startStep;
  let processSeconds = 0;
  const losses = new OrderedEmitter(ctx);
  // The loss chart needs a few points an iteration, not each report: a run of 20,000 iterations would journal a million.
  const every = Math.max(1, Math.ceil(total / LOSS_POINTS_PER_ITERATION));
  let nextJournaled = 0;
  let unjournaled: LossPoint | null = null;

  const { seconds } = await runPhase(ctx, 'train', total, async (progress) => {
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
        onEvent: (e) => {
          if (e.event === 'progress') {
            const point: LossPoint = {
              iteration,
              step: e.step,
              loss: e.loss,
              policy_loss: e.policy_loss ?? null,
              value_loss: e.value_loss ?? null,
              lr: e.lr ?? null,
              samples_per_sec: e.samples_per_sec ?? null,
              timestamp: new Date().toISOString(),
            };
            lastStep = point.step;
            finalLoss = point.loss;
            unjournaled = point;
            if (point.step - options.startStep >= nextJournaled) {
              losses.push({ type: 'train.progress', point });
              nextJournaled = point.step - options.startStep + every;
              unjournaled = null;
            }
            progress.report(point.step - options.startStep, () => (point.samples_per_sec === null ? {} : { samples_per_sec: point.samples_per_sec }));
          } else if (e.event === 'done') {
            lastStep = e.step;
            finalLoss = e.loss;
          }
        },
      });
      processSeconds += result.seconds;
      if (!existsSync(out) || statSync(out).size === 0) throw ProcessFailedError.unfinished(name, result.argv, `exited 0 but wrote no model at ${out}`);
    });
    // The last point always: the chart ends where training did.
    if (unjournaled) losses.push({ type: 'train.progress', point: unjournaled });
    // A loss point that could not be journaled (a full disk) fails the phase here, never silently.
    await losses.drain();
  });
  return { steps: Math.max(0, lastStep - options.startStep) || total, finalLoss, seconds, processSeconds };
}

/**
 * One iteration of the loop, in two halves the coordinator can overlap:
 * start() discards what an unfinished earlier attempt left and starts its
 * self-play; finish() trains, evaluates when due (the gate deciding the best
 * model), and journals the iteration's stats.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { simsForIteration } from '../../shared/simulations';
import type { LoopConfig } from '../../shared/config/fields';
import type { UnstampedEvent } from '../../shared/events';
import { iterationLearningRate, runProgress } from '../../shared/learningRate';
import { iterationMinutes, limitReached } from '../../shared/runLimits';
import type { BestModelInfo, EvalRecord, IterationStats, PhaseBytes } from '../../shared/stats';
import { runSelfplay, type SelfplayResult } from './actorRunner';
import { decideBestChange } from './best/bestModel';
import type { BestModelKeeper } from './best/bestModelKeeper';
import { runEvaluation } from './evalRunner';
import type { PhaseContext } from './phaseContext';
import type { Executor } from './process/executor';
import { copyFileAtomic } from '../../node/atomicWrite';
import { ensureRoom, iterationBytes } from './state/diskSpace';
import { applyRetention } from './state/retention';
import type { StatsManager } from './statsManager';
import { runTraining, type TrainResult } from './trainerRunner';

/** An iteration whose self-play has started. */
export interface StartedIteration {
  iteration: number;
  /** Its phases' context: the settings in force when it started, and a signal that also cancels it alone. */
  ctx: PhaseContext;
  sims: number;
  startedAt: number;
  selfplay: Promise<SelfplayResult>;
  cancel: AbortController;
}

/**
 * The seconds an iteration counts so far: from its start or from the end of the one before,
 * whichever is later, so that overlapping iterations add up to the wall time (the time budget's measure).
 */
export const countedSeconds = (started: StartedIteration, lastCompleted: number) => (performance.now() - Math.max(started.startedAt, lastCompleted)) / 1000;

/**
 * Whether a limit will end the run when this iteration ends: the time budget judged by its time so far and the
 * recent iterations' training and evaluation times (over an evaluation interval, so that an iteration without an
 * evaluation does not count as the usual one).
 */
export function limitReachedAfter(config: LoopConfig, done: readonly IterationStats[], started: StartedIteration, lastCompleted: number): boolean {
  const recent = done.slice(-Math.max(1, config.evalInterval));
  const rest = Math.max(0, ...recent.map((s) => s.trainer_time + s.eval_time));
  return limitReached(config, [...done, { total_time: countedSeconds(started, lastCompleted) + rest }]) !== null;
}

/** Cancels an iteration's self-play alone and waits until its actors are reaped. */
export async function cancelIteration(started: StartedIteration): Promise<void> {
  started.cancel.abort();
  await started.selfplay.catch(() => {});
}

/** What an iteration needs of its run. */
export interface IterationHost {
  stats: StatsManager;
  best: BestModelKeeper;
  /** The phase context of an iteration, with the settings in force now. */
  context(iteration: number, signal: AbortSignal): PhaseContext;
  emit(event: UnstampedEvent): Promise<void>;
  /** Reference players the arena command could not play (the ladder stops asking for them). */
  unsupportedPlayers: Set<string>;
}

export class IterationRunner {
  constructor(private readonly run: IterationHost) {}

  /** Starts an iteration's self-play with the settings and the self-play model of this moment. */
  async start(iteration: number, runSignal: AbortSignal): Promise<StartedIteration> {
    const cancel = new AbortController();
    const ctx = this.run.context(iteration, AbortSignal.any([runSignal, cancel.signal]));
    await ensureRoom(ctx.paths, 'selfplay', iteration, this.lastBytes());
    const startedAt = performance.now();
    await rm(ctx.paths.replayDir(iteration), { recursive: true, force: true });
    await rm(ctx.paths.model(iteration), { force: true });
    const sims = simsForIteration(ctx.config, iteration);
    const playModel = this.selfplayModel(ctx);
    await this.run.emit({ type: 'iteration.started', iteration, sims, selfplay_model: playModel });
    const selfplay = runSelfplay(ctx, { sims, modelIteration: playModel });
    // Awaited later (an early start runs beside the iteration before it): a failure waits there.
    selfplay.catch(() => {});
    return { iteration, ctx, sims, startedAt, selfplay, cancel };
  }

  /**
   * Trains and evaluates an iteration whose self-play has ended, and journals it. A promotion it
   * earns is journaled after `iteration.completed`, so the best model is always a completed
   * iteration's: a crash between the two leaves a promotion that resuming applies
   * (`StatsManager.interruptedPromotion`), never a best model whose file the redo deletes.
   */
  async finish(started: StartedIteration, selfplay: SelfplayResult, lastCompleted: number): Promise<IterationStats> {
    const train = await this.train(started, lastCompleted);
    const record = (evaluation: { record: EvalRecord; seconds: number } | null, promoted: boolean): IterationStats => ({
      iteration: started.iteration,
      episodes: selfplay.episodes,
      transitions: selfplay.positions,
      steps: train.steps,
      sims: started.sims,
      actor_time: selfplay.seconds,
      trainer_time: train.seconds,
      eval_time: evaluation?.seconds ?? 0,
      total_time: countedSeconds(started, lastCompleted),
      eval_win_rate: evaluation?.record.vs_champion?.win_rate ?? null,
      eval_draw_rate: evaluation?.record.vs_champion?.draw_rate ?? null,
      vs_random_win_rate: evaluation?.record.vs_random?.win_rate ?? null,
      final_loss: train.finalLoss,
      promoted,
      timestamp: new Date().toISOString(),
    });
    const complete = async (stats: IterationStats) => {
      const measured = { ...stats, bytes_written: await iterationBytes(started.ctx.paths, started.iteration) };
      await this.run.emit({ type: 'iteration.completed', stats: measured });
      return measured;
    };
    const { iteration, ctx } = started;
    const due = iteration % ctx.config.evalInterval === 0;
    const stats =
      !due && this.run.stats.runState.best !== null
        ? await complete(record(null, false))
        : // Every evalInterval iterations the candidate plays the best model and the others; a run's first model becomes best without a match.
          await this.run.best.gate(async (best) => {
            const evaluation = due ? await this.evaluate(started, train, best) : null;
            const change = decideBestChange(best, iteration, evaluation?.record ?? null, new Date().toISOString());
            // Held by the gate: no manual change comes between the iteration's completion and its promotion.
            return { result: await complete(record(evaluation, change !== null)), change };
          });
    const deleted = await applyRetention(ctx.paths, this.run.stats.runState, ctx.config, iteration);
    if (deleted) await this.run.emit({ type: 'files.deleted', iteration, ...deleted });
    return stats;
  }

  /**
   * Starts the next iteration's self-play as soon as this one's ends, beside this one's training and
   * evaluation (overlapSelfplay), so that no core idles while one process trains; it plays the best
   * model known now, one gate behind. Not when a limit will end the run first, nor when the
   * allocation (Slurm) or the disk has no room for it now: the next iteration then starts after
   * this one, and the check is made again.
   */
  async startEarly(current: StartedIteration, lastCompleted: number, signal: AbortSignal, executor: Executor, log: (message: string) => void): Promise<StartedIteration | null> {
    if (signal.aborted || limitReachedAfter(current.ctx.config, this.run.stats.runState.iterations, current, lastCompleted)) return null;
    try {
      await executor.ensureReady(signal);
      return await this.start(current.iteration + 1, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      log(`the next iteration's self-play starts after this iteration: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  /** The model self-play uses: the best one, or the latest, per selfplayModel. */
  private selfplayModel(ctx: PhaseContext): number | null {
    const state = this.run.stats.runState;
    if (ctx.config.selfplayModel === 'best' && state.best) return state.best.iteration;
    const last = state.iterations[state.iterations.length - 1];
    return last ? last.iteration : (state.best?.iteration ?? null);
  }

  /** Trains from the previous iteration's model (a branch's iteration 1 from its iteration 0, the parent's model). */
  private async train(started: StartedIteration, lastCompleted: number): Promise<TrainResult> {
    const { iteration, ctx } = started;
    const { paths, config } = ctx;
    const previous = existsSync(paths.model(iteration - 1)) ? paths.model(iteration - 1) : null;
    const done = this.run.stats.runState.iterations;
    // As of this iteration's end, which its training nearly is: the last iteration trains at the floor.
    const progress = runProgress(config, done.length + 1, iterationMinutes(done) + countedSeconds(started, lastCompleted) / 60);
    await ensureRoom(paths, 'train', iteration, this.lastBytes());
    const train = await runTraining(ctx, { init: previous, startStep: this.run.stats.resumeState().completedSteps, learningRate: iterationLearningRate(config, progress) });
    await copyFileAtomic(paths.model(iteration), paths.latestModel);
    return train;
  }

  /** What the newest completed iteration wrote, by phase: the estimate of what the next will. */
  private lastBytes(): PhaseBytes | null {
    return this.run.stats.runState.iterations.findLast((s) => s.bytes_written)?.bytes_written ?? null;
  }

  /** Plays the evaluation's matches and scores, and journals its record. */
  private async evaluate({ iteration, ctx }: StartedIteration, train: TrainResult, best: BestModelInfo | null): Promise<{ record: EvalRecord; seconds: number }> {
    await ensureRoom(ctx.paths, 'eval', iteration, this.lastBytes());
    const state = this.run.stats.runState;
    const evaluated = await runEvaluation(ctx, {
      candidate: ctx.paths.model(iteration),
      best,
      step: this.run.stats.resumeState().completedSteps + train.steps,
      fit: await this.run.stats.ratings.fit(state.rated),
      bestMissed: best ? (state.evaluations.find((e) => e.iteration === best.iteration)?.accuracy?.missed ?? null) : null,
      unsupported: this.run.unsupportedPlayers,
    });
    await this.run.emit({ type: 'eval.completed', record: evaluated.record });
    return evaluated;
  }
}

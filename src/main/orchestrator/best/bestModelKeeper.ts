/**
 * The one place a run's best model changes: the gate's promotions, promote
 * and revert by hand, and a branch's starting model. Changes go one at a
 * time: a manual change waits for a running gate (which reads the best
 * model), and the panel sees that it waits. Each change copies the model to
 * models/best.onnx atomically, then journals best.changed.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { ApiError } from '../../../shared/api';
import { previousBest, withBestChange } from '../../../shared/bestHistory';
import type { UnstampedEvent } from '../../../shared/events';
import type { BestModelInfo } from '../../../shared/stats';
import type { RunSnapshot } from '../../../shared/runState';
import { copyFileAtomic } from '../../../node/atomicWrite';
import type { RunPaths } from '../state/runPaths';
import { bestEntry, type BestChange } from './bestModel';
import { Mutex } from './mutex';

export type PendingBestChange = RunSnapshot['pending_best_change'];

export class BestModelKeeper {
  private readonly mutex = new Mutex();
  private waiting: PendingBestChange = null;

  constructor(
    private readonly paths: RunPaths,
    /** The best model as the journal has it now. */
    private readonly current: () => BestModelInfo | null,
    /** Whether an iteration has completed (only completed iterations may become best by hand: an unfinished one is redone on resume). */
    private readonly completed: (iteration: number) => boolean,
    private readonly emit: (event: UnstampedEvent) => Promise<void>,
  ) {}

  /** A manual change waiting for a running gate, if any (the panel shows it). */
  get pending(): PendingBestChange {
    return this.waiting;
  }

  /**
   * Runs an evaluation and the change it decides with the best model held: manual changes wait
   * until the change is journaled. `work` gets the best model the evaluation plays against.
   */
  gate<T>(work: (best: BestModelInfo | null) => Promise<{ result: T; change: BestChange | null }>): Promise<T> {
    return this.mutex.run(async () => {
      const best = this.current();
      const { result, change } = await work(best);
      if (change) await this.commit(best, change);
      return result;
    });
  }

  /** Makes `iteration` the best model, after a running gate, if the best is still the one the user saw (`seen`). */
  promote(iteration: number, by: string, seen: number | null): Promise<BestModelInfo> {
    if (!Number.isInteger(iteration) || iteration < 1) return Promise.reject(new ApiError({ code: 'bad_request', message: `iteration must be a whole number from 1 (got ${iteration})` }));
    if (!this.completed(iteration))
      return Promise.reject(new ApiError({ code: 'bad_request', message: `iteration ${iteration} has not completed (its evaluation may still run); promote it once it has` }));
    return this.changeByHand('promote', iteration, seen, (current) => {
      if (current?.iteration === iteration) throw new ApiError({ code: 'bad_request', message: `iteration ${iteration} is already the best model` });
      return { iteration, reason: 'manual', by, time: new Date().toISOString(), note: `promoted by hand over iteration ${current?.iteration ?? 'none'}` };
    });
  }

  /** Goes back to the best model before the current one, after a running gate, if the best is still the one the user saw. */
  revert(by: string, seen: number | null): Promise<BestModelInfo> {
    return this.changeByHand('revert', null, seen, (current) => {
      const previous = previousBest(current);
      if ('error' in previous) throw new ApiError({ code: 'bad_request', message: previous.error });
      return { iteration: previous.iteration, reason: 'revert', by, time: new Date().toISOString(), note: `reverted from iteration ${current!.iteration}` };
    });
  }

  /** Applies a promotion a crash cut off after its iteration completed (StatsManager.interruptedPromotion); says what it did. */
  async applyInterrupted(change: BestChange | null): Promise<string | null> {
    if (!change) return null;
    await this.gate(async () => ({ result: null, change }));
    return `applied the promotion of iteration ${change.iteration} (${change.reason}) that a crash cut off after the iteration completed`;
  }

  /** A branch's starting model (its iteration 0, copied in by fork.ts) becomes its first best model. */
  adoptStartingModel(note: string, by: string): Promise<BestModelInfo> {
    return this.mutex.run(() => this.commit(this.current(), { iteration: 0, reason: 'initial', by, time: new Date().toISOString(), note }));
  }

  private async changeByHand(action: 'promote' | 'revert', iteration: number | null, seen: number | null, decide: (current: BestModelInfo | null) => BestChange): Promise<BestModelInfo> {
    if (this.mutex.locked) this.waiting = { action, iteration };
    try {
      return await this.mutex.run(async () => {
        this.waiting = null;
        const current = this.current();
        if ((current?.iteration ?? null) !== seen) throw changedSince(action, seen, current!);
        return this.commit(current, decide(current));
      });
    } finally {
      this.waiting = null;
    }
  }

  private async commit(current: BestModelInfo | null, change: BestChange): Promise<BestModelInfo> {
    const model = this.paths.model(change.iteration);
    if (!existsSync(model)) throw new ApiError({ code: 'bad_request', message: `iteration ${change.iteration} has no model (${model}); choose an iteration that finished training` });
    await copyFileAtomic(model, this.paths.bestModel);
    const event = { entry: bestEntry(change), model_path: relative(this.paths.root, model) };
    await this.emit({ type: 'best.changed', ...event });
    return withBestChange(current, event);
  }
}

/** The refusal of a manual change whose user saw another best model than the one there now. */
function changedSince(action: 'promote' | 'revert', seen: number | null, current: BestModelInfo | null): ApiError {
  const now = current
    ? `iteration ${current.iteration} (${current.reason === 'gate' ? 'promoted by the gate' : current.reason === 'initial' ? 'the first model' : `${current.reason} by ${current.by}`} at ${current.promoted_at}${current.note ? `: ${current.note}` : ''})`
    : 'none';
  return new ApiError({
    code: 'conflict',
    message: `the best model changed since you confirmed: it is now ${now}, not ${seen === null ? 'none' : `iteration ${seen}`}; nothing changed. Look at the run again, then ${action} again if you still want to`,
  });
}

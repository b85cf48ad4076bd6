/**
 * A run's rating fit off the orchestrator's event loop: a worker thread keeps the rated matches and
 * fits them, so a 20,000-iteration run's fit (0.6 s) does not stall the run's events, its server or
 * its processes' output. Requests go in order and carry only the matches played since the last.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../../node/moduleWorker';
import { fitRequest, fromPortable, type PortableFit } from '../../../shared/ratingFitter';
import type { RatingFit } from '../../../shared/ratings';
import type { RatedGames } from '../../../shared/stats';

type Reply = { id: number; fit?: PortableFit; error?: string };

export class RatingFits {
  private worker: Worker | null = null;
  private sent: readonly RatedGames[] | null = null;
  /** The last list asked for and its fit: the fold makes a new list when matches are rated, so the same list has the same fit. */
  private last: { rated: readonly RatedGames[]; fit: Promise<RatingFit> } | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve(fit: RatingFit): void; reject(error: Error): void }>();

  fit(rated: readonly RatedGames[]): Promise<RatingFit> {
    if (this.last?.rated === rated) return this.last.fit;
    const fit = this.fitInWorker(rated);
    this.last = { rated, fit };
    fit.catch(() => {
      if (this.last?.fit === fit) this.last = null;
    });
    return fit;
  }

  private fitInWorker(rated: readonly RatedGames[]): Promise<RatingFit> {
    const worker = this.started();
    const id = this.nextId++;
    // The ladder and ratings.json need ratings and intervals, not the covariance of pairs.
    const request = fitRequest(this.sent, rated, false);
    this.sent = rated;
    // Held while a fit is awaited; idle, the worker does not keep the process alive.
    worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, request });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.sent = null;
    this.last = null;
    if (worker) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startModuleWorker('main/orchestrator/evaluation/ratingFitThread.ts', 'ratingFitThread');
    worker.on('message', ({ id, fit, error }: Reply) => {
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      if (this.waiting.size === 0) worker.unref();
      if (fit) waiter?.resolve(fromPortable(fit));
      else waiter?.reject(new Error(`the rating fit failed: ${error}`));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = null;
        this.sent = null;
      }
      this.failAll(new Error('the rating fit worker stopped'));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}

/**
 * A run's rating fit off the orchestrator's event loop: a worker thread keeps the rated matches and
 * fits them, so a 20,000-iteration run's fit (0.6 s) does not stall the run's events, its server or
 * its processes' output. Requests go in order and carry only the matches played since the last.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../../node/moduleWorker';
import type { KeptIterations } from '../../../shared/keptIterations';
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
  private readonly waiting = new Map<number, { resolve(fit: PortableFit): void; reject(error: Error): void }>();

  /** Every player's rating and interval (the ladder and ratings.json need no covariance of pairs). */
  fit(rated: readonly RatedGames[]): Promise<RatingFit> {
    if (this.last?.rated === rated) return this.last.fit;
    const fit = this.fitInWorker(rated, null).then(fromPortable);
    this.last = { rated, fit };
    fit.catch(() => {
      if (this.last?.fit === fit) this.last = null;
    });
    return fit;
  }

  /** The fit a window holds: its kept players, with the covariances of the pairs among them that met (history.ts). */
  windowFit(rated: readonly RatedGames[], kept: KeptIterations): Promise<PortableFit> {
    return this.fitInWorker(rated, kept);
  }

  private fitInWorker(rated: readonly RatedGames[], kept: KeptIterations | null): Promise<PortableFit> {
    const worker = this.started();
    const id = this.nextId++;
    const request = fitRequest(this.sent, rated, kept);
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
      if (fit) waiter?.resolve(fit);
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

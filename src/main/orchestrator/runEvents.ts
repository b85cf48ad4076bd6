/**
 * A run's stream of events: each stamped with the run and the time, journaled by the
 * StatsManager while this process holds the run's lock, pushed to listeners, and turned into
 * notices (notifier.ts). Listeners hear of an event even when the journal could not take it (a
 * full disk), so the panel can say why the run stopped.
 */
import type { RunEvent, UnstampedEvent } from '../../shared/events';
import { Notifier } from './notifier';
import type { LockHolder } from './state/runLock';
import type { StatsManager } from './statsManager';

export class RunEvents {
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly notifier: Notifier;
  /** False once another process took the run's lock over: only the lock's holder writes the journal. */
  private journaling = true;

  constructor(
    private readonly run: string,
    private readonly stats: StatsManager,
    notifyCommand: () => string[] | null,
  ) {
    this.notifier = new Notifier({
      command: notifyCommand,
      root: stats.paths.root,
      push: (notice) => this.push({ type: 'notice', run, time: notice.time, notice }),
      log: (message) => this.log(message),
    });
  }

  get writable(): boolean {
    return this.journaling;
  }

  on(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async emit(event: UnstampedEvent): Promise<void> {
    const stamped = { ...event, run: this.run, time: new Date().toISOString() } as RunEvent;
    try {
      if (this.journaling) await this.stats.append(stamped);
    } finally {
      this.push(stamped);
      this.notifier.afterEvent(stamped, this.stats.runState);
    }
  }

  /** A line in the orchestrator's log of the current iteration. */
  log(message: string): void {
    void this.emit({ type: 'log.lines', iteration: this.stats.runState.current_iteration ?? 0, process: 'orchestrator', lines: [`[loopdeck] ${message}`] }).catch(() => {});
  }

  /** To listeners only: a notice, or the word that the lock was lost. */
  push(stamped: RunEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(stamped);
      } catch {
        // A broken listener must not break the run.
      }
    }
  }

  /** Another process took the lock over: nothing more is journaled, and the listeners hear why. */
  lockLost(holder: LockHolder | null): void {
    this.journaling = false;
    const who = holder ? `process ${holder.pid} on ${holder.host}` : 'nobody (the lock file is gone)';
    const message = `this process lost the run lock to ${who}: it stopped driving the run and wrote nothing more to it`;
    this.push({ type: 'run.error', run: this.run, time: new Date().toISOString(), error: { message } });
  }

  /** Resolves when every notice so far has gone to the notify command. */
  close(): Promise<void> {
    return this.notifier.close();
  }
}

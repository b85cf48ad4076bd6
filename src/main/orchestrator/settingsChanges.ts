/**
 * Changes to a run's settings. While the run plays, a change waits and is
 * journaled (config.changed) when the next iteration starts, so an iteration
 * never changes settings halfway; on a run at rest it is journaled at once,
 * from the iteration the run resumes at. Settings fixed at creation are
 * refused with the reason.
 */
import { ApiError, type SettingsChange } from '../../shared/api';
import { changeConfig, configChanges, type ConfigChanges } from '../../shared/config/changes';
import type { LoopConfig, LoopConfigInput } from '../../shared/config/fields';

/** What settings changes need of their run. */
export interface SettingsHost {
  readonly name: string;
  /** The settings in force. */
  config(): LoopConfig;
  isRunning(): boolean;
  /** The first iteration the run has not completed. */
  nextIteration(): number;
  /** The iteration playing now, if any. */
  currentIteration(): number | null;
  /** Journals a change, in force from `fromIteration`. */
  commit(changes: ConfigChanges, by: string, fromIteration: number): Promise<void>;
}

export class SettingsChanges {
  private waiting: { config: LoopConfig; by: string } | null = null;

  constructor(private readonly run: SettingsHost) {}

  /** The settings a waiting change will put in force, if one waits. */
  get upcoming(): LoopConfig | null {
    return this.waiting?.config ?? null;
  }

  /** Changes the settings: from the next iteration while the run plays, else from the one it resumes at. */
  async change(input: LoopConfigInput, by: string): Promise<SettingsChange> {
    const result = changeConfig(this.upcoming ?? this.run.config(), input);
    if (!result.ok)
      throw new ApiError({ code: 'invalid_config', message: `cannot change the settings of "${this.run.name}": ${result.errors.map((e) => e.message).join(' ')}`, errors: result.errors });
    const changes = configChanges(this.run.config(), result.config);
    const next = this.run.nextIteration();
    if (Object.keys(changes).length === 0) {
      this.waiting = null;
      return { changes, from_iteration: next, pending: false };
    }
    if (this.run.isRunning()) {
      this.waiting = { config: result.config, by };
      const current = this.run.currentIteration();
      return { changes, from_iteration: current !== null ? current + 1 : next, pending: true };
    }
    await this.run.commit(changes, by, next);
    return { changes, from_iteration: next, pending: false };
  }

  /** Journals a waiting change, in force from `iteration` (the one about to start). */
  async applyFrom(iteration: number): Promise<void> {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    const changes = configChanges(this.run.config(), waiting.config);
    if (Object.keys(changes).length) await this.run.commit(changes, waiting.by, iteration);
  }
}

/** What a phase runner gets from the orchestrator for one iteration. */
import type { LoopConfig } from '../../shared/config';
import type { RunEvent } from '../../shared/events';
import type { PhaseName, Throughput } from '../../shared/stats';
import type { RunPaths } from './runPaths';
import type { EngineCommands } from './statsManager';

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
export type UnstampedEvent = DistributiveOmit<RunEvent, 'run' | 'time'>;

export interface PhaseContext {
  config: LoopConfig;
  paths: RunPaths;
  engine: EngineCommands;
  iteration: number;
  /** Aborted when the run is stopped. */
  signal: AbortSignal;
  /** Grace period between SIGTERM and SIGKILL. */
  graceMs: number;
  emit(event: UnstampedEvent): Promise<void>;
}

/** Turns counts into throttled phase.progress events with a rate and an ETA. */
export class ProgressReporter {
  private readonly started = performance.now();
  private lastSent = 0;

  constructor(
    private readonly ctx: PhaseContext,
    private readonly phase: PhaseName,
    private readonly total: number,
    private readonly minIntervalMs = 250,
  ) {}

  report(done: number, rates: (seconds: number) => Throughput, force = false): void {
    const now = performance.now();
    if (!force && now - this.lastSent < this.minIntervalMs) return;
    this.lastSent = now;
    const seconds = (now - this.started) / 1000;
    const eta = done > 0 && done < this.total ? (seconds / done) * (this.total - done) : done >= this.total ? 0 : null;
    void this.ctx.emit({
      type: 'phase.progress',
      progress: { iteration: this.ctx.iteration, phase: this.phase, done, total: this.total, eta_seconds: eta, rates: rates(seconds) },
    });
  }
}

export function processLogger(ctx: PhaseContext, processName: string) {
  return (lines: string[]) => void ctx.emit({ type: 'log.lines', iteration: ctx.iteration, process: processName, lines });
}

/** What a phase runner gets from the orchestrator for one iteration. */
import type { LoopConfig } from '../../shared/config';
import type { RunEvent } from '../../shared/events';
import type { PhaseName, RunParent, Throughput } from '../../shared/stats';
import type { Executor, ProcessRole } from './process/executor';
import { runProtocolProcess, type ProtocolProcessOptions, type ProtocolProcessResult } from './process/childProcess';
import type { ProcessFailedError } from './process/processFailedError';
import { withRetries } from './process/retry';
import type { RunPaths } from './state/runPaths';
import type { EngineCommands } from './statsManager';

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
export type UnstampedEvent = DistributiveOmit<RunEvent, 'run' | 'time'>;

export interface PhaseContext {
  config: LoopConfig;
  paths: RunPaths;
  engine: EngineCommands;
  iteration: number;
  /** Aborted when the run is stopped, or when this iteration alone is cancelled (an early start a limit overtook). */
  signal: AbortSignal;
  /** Grace period between SIGTERM and SIGKILL. */
  graceMs: number;
  emit(event: UnstampedEvent): Promise<void>;
  /** Called as each child process starts and exits (tests, diagnostics). */
  hooks: ProcessHooks;
  /** The run this one was branched from, if it was. */
  parent: RunParent | null;
  /** Where the engine processes run. */
  executor: Executor;
}

export interface ProcessHooks {
  onSpawn?(name: string, pid: number): void;
  onExit?(name: string, seconds: number): void;
}

/** What differs between the phases' processes; the context supplies the rest. */
export type PhaseProcessOptions = Pick<ProtocolProcessOptions, 'name' | 'subcommand' | 'flags' | 'onMessage' | 'env' | 'input' | 'parseLine'> & {
  /** Which engine command runs it (actorCommand, trainerCommand or arenaCommand); the executor may place them differently. */
  role: ProcessRole;
  /** Defaults to the run's stop signal. */
  signal?: AbortSignal;
};

/** Runs one protocol process of this iteration: its log file, stall timeout, stop signal, hooks and log events. */
export function spawnPhaseProcess(ctx: PhaseContext, options: PhaseProcessOptions): Promise<ProtocolProcessResult> {
  const { name, role, ...rest } = options;
  return runProtocolProcess({
    ...rest,
    name,
    command: ctx.engine[role],
    launch: (argv) => ctx.executor.launch(role, argv),
    signal: options.signal ?? ctx.signal,
    logFile: ctx.paths.log(ctx.iteration, name),
    stallTimeoutMs: ctx.config.stallTimeout * 1000,
    graceMs: ctx.graceMs,
    onSpawn: (pid) => ctx.hooks.onSpawn?.(name, pid),
    onExit: (seconds) => ctx.hooks.onExit?.(name, seconds),
    onLogLines: processLogger(ctx, name),
  });
}

/** Runs `attempt` up to 1 + maxRetries times, saying in the process's log why each retry happens. */
export function withPhaseRetries<T>(ctx: PhaseContext, name: string, attempt: (n: number) => Promise<T>, what = 'retry'): Promise<T> {
  return withRetries(ctx.config.maxRetries, attempt, (error: ProcessFailedError, n) =>
    ctx.emit({ type: 'log.lines', iteration: ctx.iteration, process: name, lines: [`[loopdeck] ${name} failed (${error.message.split('\n')[0]}); ${what} ${n} of ${ctx.config.maxRetries}`] }),
  );
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

function processLogger(ctx: PhaseContext, processName: string) {
  return (lines: string[]) => void ctx.emit({ type: 'log.lines', iteration: ctx.iteration, process: processName, lines });
}

/**
 * Journaled events from a synchronous callback (a process's stdout), kept in
 * order; a failed write is held, not thrown into the void, and `drain` rethrows it.
 */
export class OrderedEmitter {
  private chain: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;

  constructor(private readonly ctx: PhaseContext) {}

  push(event: UnstampedEvent): void {
    this.chain = this.chain
      .then(() => (this.failure ? undefined : this.ctx.emit(event)))
      .catch((error: unknown) => {
        this.failure ??= { error };
      });
  }

  async drain(): Promise<void> {
    await this.chain;
    if (this.failure) throw this.failure.error;
  }
}

/**
 * What a phase runner gets from the orchestrator for one iteration, and the
 * helpers every phase uses: its protocol processes, its one retry path, and
 * the started -> progress -> completed sequence of its events.
 */
import type { LoopConfig } from '../../shared/config/fields';
import type { UnstampedEvent } from '../../shared/events';
import type { EngineSubcommand, GameDeclaration } from '../../shared/protocol';
import type { PhaseName, RunParent, Throughput } from '../../shared/stats';
import type { Executor, ProcessRole } from './process/executor';
import { runProtocolProcess, type ProtocolProcessOptions, type ProtocolProcessResult } from './process/childProcess';
import type { ProcessFailedError } from './process/processFailedError';
import { withRetries } from './process/retry';
import type { RunPaths } from './state/runPaths';
import type { EngineCommands } from './process/engineCommands';

export interface PhaseContext {
  config: LoopConfig;
  /** The run's game as its engine declared it. */
  game: GameDeclaration;
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
export type PhaseProcessOptions<C extends EngineSubcommand> = Pick<ProtocolProcessOptions<C>, 'name' | 'subcommand' | 'flags' | 'onEvent' | 'env' | 'input'> & {
  /** Which engine command runs it (actorCommand, trainerCommand or arenaCommand); the executor may place them differently. */
  role: ProcessRole;
  /** Defaults to the run's stop signal. */
  signal?: AbortSignal;
};

/** Runs one protocol process of this iteration: its log file, stall timeout, stop signal, hooks and log events. */
export function spawnPhaseProcess<C extends EngineSubcommand>(ctx: PhaseContext, options: PhaseProcessOptions<C>): Promise<ProtocolProcessResult> {
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

/**
 * Runs `attempt` up to 1 + maxRetries times (a stop is never retried), saying in the process's
 * log why each retry happens; `retryNote` adds what the retry does ("for its 3 remaining episodes").
 */
export function withPhaseRetries<T>(ctx: PhaseContext, name: string, attempt: (n: number) => Promise<T>, retryNote?: () => string): Promise<T> {
  return withRetries(ctx.config.maxRetries, attempt, (error: ProcessFailedError, n) => {
    const note = retryNote ? ` ${retryNote()}` : '';
    return ctx.emit({
      type: 'log.lines',
      iteration: ctx.iteration,
      process: name,
      lines: [`[loopdeck] ${name} failed (${error.message.split('\n')[0]}); retry ${n} of ${ctx.config.maxRetries}${note}`],
    });
  });
}

/**
 * One phase of an iteration: `phase.started` with its total, the work (which reports counts to
 * the progress reporter), the last count re-sent, and `phase.completed` with its seconds.
 */
export async function runPhase<T>(ctx: PhaseContext, phase: PhaseName, total: number, work: (progress: ProgressReporter) => Promise<T>): Promise<{ result: T; seconds: number }> {
  await ctx.emit({ type: 'phase.started', iteration: ctx.iteration, phase, total });
  const started = performance.now();
  const progress = new ProgressReporter(ctx, phase, total);
  const result = await work(progress);
  progress.flush();
  const seconds = (performance.now() - started) / 1000;
  await ctx.emit({ type: 'phase.completed', iteration: ctx.iteration, phase, seconds });
  return { result, seconds };
}

/** Turns counts into throttled phase.progress events with a rate and an ETA. */
export class ProgressReporter {
  private readonly started = performance.now();
  // performance.now() counts from the process's start, so 0 would hold back a first report made early.
  private lastSent = Number.NEGATIVE_INFINITY;
  private last: { done: number; rates: (seconds: number) => Throughput } | null = null;

  constructor(
    private readonly ctx: PhaseContext,
    private readonly phase: PhaseName,
    private readonly total: number,
    private readonly minIntervalMs = 250,
  ) {}

  report(done: number, rates: (seconds: number) => Throughput): void {
    this.last = { done, rates };
    const now = performance.now();
    if (now - this.lastSent < this.minIntervalMs) return;
    this.send(now);
  }

  /** Sends the last count reported, if the throttle held it back. */
  flush(): void {
    if (this.last) this.send(performance.now());
  }

  private send(now: number): void {
    const { done, rates } = this.last!;
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

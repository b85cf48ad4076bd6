/**
 * The thin coordinator of a run (docs/architecture.md). For each iteration
 * from the first incomplete one: self-play, training, evaluation, each phase
 * delegated to its runner through IterationRunner, with the next iteration's
 * self-play started beside this one's training and evaluation when
 * overlapSelfplay is on. Every event is journaled by the StatsManager and
 * pushed to listeners. The best model's changes, settings changes,
 * head-to-head matches and requests from other processes each live in a
 * module of their own; this class holds the run's lock and wires them.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ApiError } from '../../shared/api';
import type { LoopConfig } from '../../shared/config/fields';
import type { RunEvent, UnstampedEvent } from '../../shared/events';
import { limitMessage, limitReached } from '../../shared/runLimits';
import { runSnapshot } from '../../shared/history';
import { runSummary, runView } from '../../shared/runState';
import type { RunParent } from '../../shared/stats';
import type { RunSnapshot, RunView } from '../../shared/runState';
import type { GameDeclaration } from '../../shared/protocol';
import type { RatingFit } from '../../shared/ratings';
import { BestModelKeeper } from './best/bestModelKeeper';
import { HeadToHeadMatches } from './evaluation/headToHeadMatches';
import { WindowRatings } from './evaluation/windowRatings';
import { cancelIteration, IterationRunner, type StartedIteration } from './iteration';
import type { PhaseContext } from './phaseContext';
import { appVersion } from '../../node/loopdeckBuild';
import { resolveEngineCommands } from './process/engineCommands';
import { collectProvenance } from './state/provenance';
import type { RunExperiment } from '../../shared/stats';
import { createExecutor } from './process/createExecutor';
import { LOCAL_EXECUTOR, type Executor } from './process/executor';
import { RunEvents } from './runEvents';
import { carryOut, RunRequestInbox } from './runRequests';
import { journalSessionEnd, type RunOutcome } from './sessionEnd';
import { SettingsChanges } from './settingsChanges';
import { holdingRunLock, type LockHolder, type RunLock, type RunLockOptions } from './state/runLock';
import { listLogs } from './state/runLogs';
import { RunPaths } from './state/runPaths';
import { StatsManager } from './statsManager';
import { declaredGame, engineGames } from './service/engineGames';

export interface OrchestratorOptions {
  /** Grace period between SIGTERM and SIGKILL when stopping a child (ms). */
  graceMs?: number;
  /** Called with each child process spawned (for tests and diagnostics). */
  onSpawn?(name: string, pid: number): void;
  /** Called as each child process exits, with its lifetime in seconds. */
  onExit?(name: string, seconds: number): void;
  /** The run lock's lease (default 60 s, renewed every 10 s). */
  lease?: Pick<RunLockOptions, 'leaseSeconds' | 'renewMs'>;
}

export class Orchestrator {
  private stopController: AbortController | null = null;
  private active: Promise<RunOutcome> | null = null;
  /** Where this session's engine processes run (null while the run is not driven here). */
  private executor: Executor | null = null;
  private closing: Promise<void> | null = null;
  /** Promote, revert and the gate's changes of the best model. */
  readonly best: BestModelKeeper;
  /** Changes of settings, applied from the next iteration. */
  readonly settings: SettingsChanges;
  /** Head-to-head matches started on this run. */
  readonly matches: HeadToHeadMatches;
  private readonly iterations: IterationRunner;
  private readonly events: RunEvents;
  /** The rating fit the run's windows hold, pushed as its rated games change. */
  private readonly windowRatings: WindowRatings;

  private constructor(
    readonly paths: RunPaths,
    private readonly stats: StatsManager,
    private readonly options: OrchestratorOptions,
    private readonly lock: RunLock,
  ) {
    this.events = new RunEvents(paths.name, stats, () => this.config.notifyCommand);
    const emit = (event: UnstampedEvent) => this.events.emit(event);
    this.best = new BestModelKeeper(
      paths,
      () => stats.runState.best,
      (iteration) => stats.runState.iterations.some((s) => s.iteration === iteration),
      emit,
    );
    this.settings = new SettingsChanges({
      name: paths.name,
      config: () => stats.config,
      isRunning: () => this.active !== null,
      nextIteration: () => stats.resumeState().nextIteration,
      currentIteration: () => stats.runState.current_iteration,
      commit: (changes, by, from) => this.events.emit({ type: 'config.changed', changes, by, from_iteration: from }),
    });
    this.matches = new HeadToHeadMatches(
      paths,
      () => this.game,
      (iteration) => this.context(iteration, new AbortController().signal),
      emit,
    );
    this.windowRatings = new WindowRatings(
      stats.ratings,
      () => stats.runState,
      (event) => void this.events.emit(event).catch(() => {}),
    );
    this.events.on((event) => {
      if (event.type === 'games.rated' || event.type === 'iteration.started') this.windowRatings.changed();
    });
    this.iterations = new IterationRunner({ stats, best: this.best, context: (i, signal) => this.context(i, signal), emit, unsupportedPlayers: new Set() });
  }

  /**
   * A new run folder, locked to this handle until close(). Refuses an existing run.
   * Throws RunLockedError when another driver holds the lock.
   */
  static async create(config: LoopConfig, options: OrchestratorOptions = {}, parent?: RunParent, experiment?: RunExperiment): Promise<Orchestrator> {
    const paths = new RunPaths(config.runsDir, config.name);
    const exists = () => existsSync(paths.events) || existsSync(paths.runJson);
    const conflict = () => new ApiError({ code: 'conflict', message: `a run named "${config.name}" already exists in ${paths.runsDir}; resume it, or choose another name` });
    if (exists()) throw conflict();
    // The engine says which games it offers; the run keeps the declaration of its own.
    const engine = resolveEngineCommands(config);
    const game = declaredGame(await engineGames(engine.actor), config.game, engine.actor);
    await mkdir(paths.root, { recursive: true });
    return Orchestrator.locked(paths, options, async () => {
      if (exists()) throw conflict();
      const provenance = await collectProvenance(config, engine);
      return StatsManager.create(paths, config, { engine, game, provenance, appVersion: appVersion(), ...(parent ? { parent } : {}), ...(experiment ? { experiment } : {}) });
    });
  }

  /**
   * An existing run, locked to this handle until close(): the lock is taken before the journal
   * is read or anything repaired, so a second driver can neither race this one nor rewrite its files.
   */
  static async open(runsDir: string, name: string, options: OrchestratorOptions = {}): Promise<Orchestrator> {
    const paths = new RunPaths(runsDir, name);
    if (!existsSync(paths.events)) throw new ApiError({ code: 'not_found', message: `no run named "${name}" in ${resolve(paths.runsDir)}` });
    return Orchestrator.locked(paths, options, () => StatsManager.open(paths));
  }

  /** A handle that holds the run's lock; the journal is opened (or made) only once the lock is held. */
  private static locked(paths: RunPaths, options: OrchestratorOptions, openStats: () => Promise<StatsManager>): Promise<Orchestrator> {
    let handle: Orchestrator | null = null;
    const onLost = (holder: LockHolder | null) => handle?.lockLost(holder);
    return holdingRunLock(
      paths.lock,
      async (lock) => {
        handle = new Orchestrator(paths, await openStats(), options, lock);
        // A promotion a crash cut off after its iteration completed is applied before anything else.
        const applied = await handle.best.applyInterrupted(handle.stats.interruptedPromotion);
        if (applied) handle.stats.repairs.push(applied);
        return handle;
      },
      { ...options.lease, onLost },
    );
  }

  /** Another process took the lock over (this one stalled past its lease): it writes nothing more, and stops its children. */
  private lockLost(holder: LockHolder | null): void {
    this.events.lockLost(holder);
    this.stopController?.abort();
  }

  /** Stops the run and its matches and releases the lock; the handle cannot be used after. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.stop();
      await this.matches.stopAll();
      // The windows get the fit of the last games before the fit's worker ends.
      await this.windowRatings.settled();
      await this.events.close();
      if (this.events.writable) await this.stats.flush().catch(() => {});
      await this.stats.close();
      await this.lock.release();
    })();
    return this.closing;
  }

  get name(): string {
    return this.paths.name;
  }

  get config(): LoopConfig {
    return this.stats.config;
  }

  get game(): GameDeclaration {
    return this.stats.game;
  }

  get isRunning(): boolean {
    return this.active !== null;
  }

  /** Messages about files repaired when the run was opened. */
  get repairs(): readonly string[] {
    return this.stats.repairs;
  }

  onEvent(listener: (event: RunEvent) => void): () => void {
    return this.events.on(listener);
  }

  /** Runs (or resumes) until the target iteration, a stop, or a failure. */
  run(): Promise<RunOutcome> {
    if (this.closing) return Promise.reject(new ApiError({ code: 'conflict', message: `run "${this.name}" was closed by this handle; open it again` }));
    if (this.active) return Promise.reject(new ApiError({ code: 'conflict', message: `run "${this.name}" is already running` }));
    const controller = new AbortController();
    this.stopController = controller;
    this.active = this.drive(controller.signal).finally(() => {
      this.active = null;
      this.stopController = null;
    });
    return this.active;
  }

  /** A session of the run: requests from other processes answered, the executor up, the loop, and whatever ends it reported. */
  private async drive(signal: AbortSignal): Promise<RunOutcome> {
    const inbox = new RunRequestInbox(
      this.paths.requestsDir,
      (request) => carryOut(this, request),
      (message) => this.events.log(message),
    );
    inbox.start();
    this.executor = createExecutor(this.config, this.paths, { log: (m) => this.events.log(m), record: (job) => this.events.emit({ type: 'slurm.job', ...job }) });
    const playing = new Set<StartedIteration>();
    try {
      const { nextIteration } = this.stats.resumeState();
      await this.events.emit({ type: 'run.state', status: 'running', iteration: nextIteration, message: nextIteration > 1 ? `resuming at iteration ${nextIteration}` : 'starting' });
      await this.executor.start(signal);
      await this.loop(nextIteration, signal, playing);
      const outcome: RunOutcome = signal.aborted ? 'stopped' : 'completed';
      await this.events.emit({
        type: 'run.state',
        status: outcome,
        iteration: null,
        message: outcome === 'stopped' ? 'resume to continue' : limitMessage(this.config, this.stats.runState.iterations),
      });
      return outcome;
    } catch (error) {
      // An iteration whose self-play started early ends before the run says how it ended.
      await Promise.all([...playing].map(cancelIteration));
      const unfinished = [...playing].map((started) => started.iteration);
      return await journalSessionEnd(this.name, error, signal, unfinished.length ? unfinished : [this.stats.resumeState().nextIteration], (e) => this.events.emit(e));
    } finally {
      await inbox.stop();
      await this.executor.stop().catch((error: unknown) => this.events.log(`the executor could not clean up: ${(error as Error).message}`));
      this.executor = null;
      if (this.events.writable) {
        // Settings changed during the last iteration still apply from the next one, whenever it runs.
        await this.settings.applyFrom(this.stats.resumeState().nextIteration);
        await this.stats.flush().catch(() => {});
      }
    }
  }

  /** The design's loop: each iteration's self-play, then its training and evaluation, with the next self-play started early. */
  private async loop(first: number, signal: AbortSignal, playing: Set<StartedIteration>): Promise<void> {
    const executor = this.executor!;
    let ahead: StartedIteration | null = null;
    // When the last iteration of this session ended (countedSeconds).
    let lastCompleted = 0;
    for (let iteration = first; !signal.aborted; iteration++) {
      let current: StartedIteration | null = ahead;
      ahead = null;
      if (!current) {
        // Settings changed while an iteration ran apply from the next one.
        await this.settings.applyFrom(iteration);
        if (limitReached(this.config, this.stats.runState.iterations)) break;
        await executor.ensureReady(signal);
        current = await this.iterations.start(iteration, signal);
        playing.add(current);
      }
      const selfplay = await current.selfplay;
      ahead = this.config.overlapSelfplay && !this.settings.upcoming ? await this.iterations.startEarly(current, lastCompleted, signal, executor, (m) => this.events.log(m)) : null;
      if (ahead) playing.add(ahead);
      await this.iterations.finish(current, selfplay, lastCompleted);
      playing.delete(current);
      lastCompleted = performance.now();
      // Limits hold for the whole run: one lowered meanwhile counts now, though it is journaled at the next start.
      const limit = limitReached(this.settings.upcoming ?? this.config, this.stats.runState.iterations);
      if (ahead && limit) {
        this.events.log(`iteration ${ahead.iteration}'s self-play, started early, is cancelled: the run has reached its ${limit}`);
        await cancelIteration(ahead);
        playing.delete(ahead);
        ahead = null;
      }
    }
    if (ahead) await cancelIteration(ahead);
  }

  private context(iteration: number, signal: AbortSignal): PhaseContext {
    return {
      config: this.config,
      game: this.game,
      paths: this.paths,
      // Resolved anew each time: settings may change them, and the bundled engine's path may move between sessions.
      engine: resolveEngineCommands(this.config),
      iteration,
      signal,
      graceMs: this.options.graceMs ?? 5000,
      emit: (e) => this.events.emit(e),
      hooks: { onSpawn: this.options.onSpawn, onExit: this.options.onExit },
      parent: this.stats.runState.parent,
      executor: this.executor ?? LOCAL_EXECUTOR,
    };
  }

  /** Graceful, resumable stop; resolves once every child process is reaped. */
  async stop(): Promise<void> {
    const active = this.active;
    if (!active) return;
    // Abort first: the children get SIGTERM even if the journal cannot be written. The state
    // change is queued in the same tick, so it is journaled before the loop's "stopped".
    this.stopController?.abort();
    const stopping = this.events.emit({ type: 'run.state', status: 'stopping', iteration: this.stats.runState.current_iteration, message: 'stopping: children get SIGTERM' });
    await Promise.allSettled([stopping, active]);
  }

  /** Starts a graceful stop and answers at once with the run's summary (a request from another process). */
  requestStop(): RunSnapshot['summary'] {
    void this.stop();
    return this.view().summary;
  }

  /** The run as this process sees it, its state whole. */
  view(): RunView {
    const state = this.stats.runState;
    const summary = runSummary(state, this.active ? undefined : state.status === 'running' || state.status === 'stopping' ? 'stopped' : undefined);
    return runView(state, summary, { logs: listLogs(this.paths), pending_best_change: this.best.pending, matches: this.matches.states });
  }

  /** The run's rating fit of every rated game (null: none yet), from its worker. */
  ratings(): Promise<RatingFit | null> {
    const { rated } = this.stats.runState;
    return rated.length ? this.stats.ratings.fit(rated) : Promise.resolve(null);
  }

  /** What a window receives: the view bounded (history.ts), with the rating fit of its players. */
  async snapshot(): Promise<RunSnapshot> {
    const ratings = await this.windowRatings.current().catch(() => null);
    return runSnapshot(this.view(), ratings);
  }
}

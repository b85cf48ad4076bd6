/**
 * The thin coordinator of a run: for each iteration from the first incomplete
 * one, self-play -> training -> evaluation, each phase delegated to its
 * runner, the next iteration's self-play beside this one's training and
 * evaluation (overlapSelfplay); every event journaled through the StatsManager
 * and pushed to listeners. Half-done iterations are redone from their start.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { mkdir, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { ApiError, type SettingsChange } from '../../shared/api';
import { changeConfig, configChanges, simsForIteration, type ConfigChanges, type LoopConfig, type LoopConfigInput } from '../../shared/config';
import type { RunEvent } from '../../shared/events';
import { matchRequestProblem, type MatchRequest, type MatchState } from '../../shared/matches';
import { parsePlayerId } from '../../shared/players';
import { GAME_SPECS } from '../../shared/games';
import { iterationLearningRate, runProgress } from '../../shared/learningRate';
import { iterationMinutes, limitMessage, limitReached } from '../../shared/runLimits';
import { runSnapshot, runSummary } from '../../shared/runState';
import type { BestModelInfo, IterationStats, RunParent, RunSnapshot } from '../../shared/stats';
import { runSelfplay, type SelfplayResult } from './actorRunner';
import { copyFileAtomic } from './state/atomicFile';
import { previousBest } from '../../shared/bestHistory';
import { decideBestChange, type BestChange } from './best/bestModel';
import { commitBestChange } from './best/bestModelCommit';
import { appVersion, resolveEngineCommands } from './process/engineCommands';
import { runEvaluation } from './evalRunner';
import { arenaPlayerSpec } from './evaluation/arenaRunner';
import { LOCAL_EXECUTOR, type Executor } from './process/executor';
import { SlurmExecutor } from './process/slurm/slurmExecutor';
import { HeadToHeadMatch } from './evaluation/headToHeadMatch';
import { Mutex } from './best/mutex';
import type { PhaseContext, UnstampedEvent } from './phaseContext';
import { ProcessFailedError } from './process/processFailedError';
import { acquireRunLock } from './state/runLock';
import { RunRequestInbox, type RunRequest } from './service/runRequests';
import { listLogs } from './state/runLogs';
import { RunPaths } from './state/runPaths';
import { StatsManager, type EngineCommands } from './statsManager';
import { runTraining } from './trainerRunner';

export interface OrchestratorOptions {
  /** Grace period between SIGTERM and SIGKILL when stopping a child (ms). */
  graceMs?: number;
  /** Called with each child process spawned (for tests and diagnostics). */
  onSpawn?(name: string, pid: number): void;
  /** Called as each child process exits, with its lifetime in seconds. */
  onExit?(name: string, seconds: number): void;
}

export class RunFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunFailedError';
  }
}

export type RunOutcome = 'completed' | 'stopped';

/** An iteration whose self-play has started. */
interface StartedIteration {
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
const countedSeconds = (started: StartedIteration, lastCompleted: number) => (performance.now() - Math.max(started.startedAt, lastCompleted)) / 1000;

export function defaultActor(surface: string): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {}
  return `${user}@${surface}`;
}

export class Orchestrator {
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly bestMutex = new Mutex();
  private stopController: AbortController | null = null;
  private active: Promise<RunOutcome> | null = null;
  private pendingBestChange: RunSnapshot['pending_best_change'] = null;
  /** Where this session's engine processes run (null while the run is not driven here). */
  private executor: Executor | null = null;

  private createExecutor(log: (message: string) => void): Executor {
    if (this.config.executor !== 'slurm') return LOCAL_EXECUTOR;
    return new SlurmExecutor(this.config, this.paths, { log, record: (job) => this.emit({ type: 'slurm.job', ...job }) });
  }

  /** Settings changed while the run plays, applied when its next iteration starts. */
  private pendingChanges: { config: LoopConfig; by: string } | null = null;
  /** Reference players the arena command could not play (the ladder stops asking for them). */
  private readonly unsupportedPlayers = new Set<string>();
  /** Head-to-head matches started through this handle (running and finished). */
  private readonly matches = new Map<string, HeadToHeadMatch>();

  private closed = false;
  private closing: Promise<void> | null = null;

  private constructor(
    readonly paths: RunPaths,
    private readonly stats: StatsManager,
    private engineCommands: EngineCommands,
    private readonly options: OrchestratorOptions,
    private readonly releaseLock: () => Promise<void>,
  ) {}

  /**
   * A new run folder, locked to this handle until close(). Refuses an existing run.
   * Throws RunLockedError when another driver holds the lock.
   */
  static async create(config: LoopConfig, options: OrchestratorOptions = {}, parent?: RunParent): Promise<Orchestrator> {
    const paths = new RunPaths(config.runsDir, config.name);
    const exists = () => existsSync(paths.events) || existsSync(paths.runJson);
    const conflict = () => new ApiError({ code: 'conflict', message: `a run named "${config.name}" already exists in ${paths.runsDir}; resume it, or choose another name` });
    if (exists()) throw conflict();
    await mkdir(paths.root, { recursive: true });
    const release = await acquireRunLock(paths.lock);
    try {
      if (exists()) throw conflict();
      const engine = resolveEngineCommands(config);
      const stats = await StatsManager.create(paths, config, { engine, appVersion: appVersion(), ...(parent ? { parent } : {}) });
      return new Orchestrator(paths, stats, engine, options, release);
    } catch (error) {
      await release();
      throw error;
    }
  }

  /**
   * An existing run, locked to this handle until close(): the lock is taken
   * before the journal is read or anything repaired, so a second driver can
   * neither race this one nor rewrite its files.
   */
  static async open(runsDir: string, name: string, options: OrchestratorOptions = {}): Promise<Orchestrator> {
    const paths = new RunPaths(runsDir, name);
    if (!existsSync(paths.events)) throw new ApiError({ code: 'not_found', message: `no run named "${name}" in ${resolve(paths.runsDir)}` });
    const release = await acquireRunLock(paths.lock);
    try {
      const stats = await StatsManager.open(paths);
      // Engine commands are resolved anew: the bundled engine's path may have moved since the run was created.
      const engine = resolveEngineCommands(stats.config);
      return new Orchestrator(paths, stats, engine, options, release);
    } catch (error) {
      await release();
      throw error;
    }
  }

  /** Stops the run if it is running and releases the lock; the handle cannot be used after. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.stop();
      await Promise.all([...this.matches.values()].map((m) => m.stop()));
      this.closed = true;
      await this.stats.flush().catch(() => {});
      await this.releaseLock();
    })();
    return this.closing;
  }

  get name(): string {
    return this.paths.name;
  }

  get config(): LoopConfig {
    return this.stats.config;
  }

  /** The commands each engine process runs (settings, resolved against the bundled engine). */
  get engine(): EngineCommands {
    return this.engineCommands;
  }

  get isRunning(): boolean {
    return this.active !== null;
  }

  /** Messages about files repaired when the run was opened. */
  get repairs(): readonly string[] {
    return this.stats.repairs;
  }

  onEvent(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async emit(event: UnstampedEvent): Promise<void> {
    const stamped = { ...event, run: this.name, time: new Date().toISOString() } as RunEvent;
    await this.stats.append(stamped);
    for (const listener of this.listeners) {
      try {
        listener(stamped);
      } catch {
        // A broken listener must not break the run.
      }
    }
  }

  /** Runs (or resumes) until the target iteration, a stop, or a failure. */
  run(): Promise<RunOutcome> {
    if (this.closed) return Promise.reject(new ApiError({ code: 'conflict', message: `run "${this.name}" was closed by this handle; open it again` }));
    if (this.active) return Promise.reject(new ApiError({ code: 'conflict', message: `run "${this.name}" is already running` }));
    const controller = new AbortController();
    this.stopController = controller;
    this.active = this.runLoop(controller.signal).finally(() => {
      this.active = null;
      this.stopController = null;
    });
    return this.active;
  }

  private async runLoop(signal: AbortSignal): Promise<RunOutcome> {
    // Promote/revert asked for by other processes while this one drives the run.
    let iteration: number | null = null;
    const inbox = new RunRequestInbox(
      this.paths.requestsDir,
      (r) => this.carryOut(r),
      (message) => void this.emit({ type: 'log.lines', iteration: iteration ?? 0, process: 'orchestrator', lines: [`[loopdeck] ${message}`] }).catch(() => {}),
    );
    inbox.start();
    const log = (message: string) => void this.emit({ type: 'log.lines', iteration: iteration ?? 0, process: 'orchestrator', lines: [`[loopdeck] ${message}`] }).catch(() => {});
    this.executor = this.createExecutor(log);
    let ahead: StartedIteration | null = null;
    const cancel = async (started: StartedIteration) => {
      started.cancel.abort();
      await started.selfplay.catch(() => {});
    };
    try {
      const { nextIteration } = this.stats.resumeState();
      await this.emit({ type: 'run.state', status: 'running', iteration: nextIteration, message: nextIteration > 1 ? `resuming at iteration ${nextIteration}` : 'starting' });
      await this.executor.start(signal);
      // When the last iteration of this session ended (countedSeconds).
      let lastCompleted = 0;
      for (iteration = nextIteration; ; iteration++) {
        if (signal.aborted) break;
        let current = ahead;
        ahead = null;
        if (!current) {
          // Settings changed while an iteration ran apply from the next one.
          await this.applyPendingChanges(iteration);
          if (limitReached(this.config, this.stats.runState.iterations)) break;
          await this.executor.ensureReady(signal);
          current = await this.startIteration(iteration, signal);
        }
        const selfplay = await current.selfplay;
        ahead = await this.startNextEarly(current, lastCompleted, signal, log);
        await this.finishIteration(current, selfplay, lastCompleted);
        lastCompleted = performance.now();
        // Limits hold for the whole run: one lowered meanwhile counts now, though it is journaled at the next start.
        const limit = limitReached(this.pendingChanges?.config ?? this.config, this.stats.runState.iterations);
        if (ahead && limit) {
          log(`iteration ${ahead.iteration}'s self-play, started early, is cancelled: the run has reached its ${limit}`);
          await cancel(ahead);
          ahead = null;
        }
      }
      if (ahead) await cancel(ahead);
      const outcome: RunOutcome = signal.aborted ? 'stopped' : 'completed';
      const message = outcome === 'stopped' ? 'resume to continue' : limitMessage(this.config, this.stats.runState.iterations);
      await this.emit({ type: 'run.state', status: outcome, iteration: null, message });
      return outcome;
    } catch (error) {
      // The next iteration's self-play, if it started early, ends before the run says how it ended.
      if (ahead) await cancel(ahead);
      const during = ahead ? `iterations ${iteration} and ${ahead.iteration}` : `iteration ${iteration}`;
      if (signal.aborted) {
        await this.emit({
          type: 'run.state',
          status: 'stopped',
          iteration: null,
          message: `stopped during ${during}; ${ahead ? 'they' : 'it'} will be redone from ${ahead ? 'their starts' : 'its start'} on resume`,
        });
        return 'stopped';
      }
      const failure = error instanceof ProcessFailedError ? error : null;
      await this.emit({
        type: 'run.error',
        error: {
          message: error instanceof Error ? error.message : String(error),
          ...(failure ? { process: failure.processName, exit_code: failure.exitCode, log_tail: failure.logTail } : {}),
        },
      });
      await this.emit({ type: 'run.state', status: 'failed', iteration, message: `failed in iteration ${iteration}` });
      throw new RunFailedError(`run "${this.name}" failed in iteration ${iteration}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      await inbox.stop();
      await this.executor.stop().catch((error: unknown) => log(`the executor could not clean up: ${(error as Error).message}`));
      this.executor = null;
      // Settings changed during the last iteration still apply from the next one, whenever it runs.
      await this.applyPendingChanges(this.stats.resumeState().nextIteration);
      await this.stats.flush().catch(() => {});
    }
  }

  private context(iteration: number, signal: AbortSignal): PhaseContext {
    return {
      config: this.config,
      paths: this.paths,
      engine: this.engine,
      iteration,
      signal,
      graceMs: this.options.graceMs ?? 5000,
      emit: (e) => this.emit(e),
      hooks: { onSpawn: this.options.onSpawn, onExit: this.options.onExit },
      parent: this.stats.runState.parent,
      executor: this.executor ?? LOCAL_EXECUTOR,
    };
  }

  /** The model self-play uses: the best one, or the latest, per selfplayModel. */
  private selfplayModel(): number | null {
    const state = this.stats.runState;
    if (this.config.selfplayModel === 'best' && state.best) return state.best.iteration;
    const last = state.iterations[state.iterations.length - 1];
    return last ? last.iteration : (state.best?.iteration ?? null);
  }

  /**
   * Starts an iteration: its outputs from an earlier, unfinished attempt are discarded, and its
   * self-play begins with the settings and the self-play model of this moment.
   */
  private async startIteration(iteration: number, runSignal: AbortSignal): Promise<StartedIteration> {
    const cancel = new AbortController();
    const ctx = this.context(iteration, AbortSignal.any([runSignal, cancel.signal]));
    const startedAt = performance.now();
    await rm(this.paths.replayDir(iteration), { recursive: true, force: true });
    await rm(this.paths.model(iteration), { force: true });
    const sims = simsForIteration(ctx.config, iteration);
    const playModel = this.selfplayModel();
    await this.emit({ type: 'iteration.started', iteration, sims, selfplay_model: playModel });
    const selfplay = runSelfplay(ctx, { sims, modelIteration: playModel });
    // Awaited later (an early start runs beside the iteration before it): a failure waits there.
    selfplay.catch(() => {});
    return { iteration, ctx, sims, startedAt, selfplay, cancel };
  }

  /**
   * With overlapSelfplay, the next iteration's self-play starts as soon as this one's ends, beside
   * this one's training and evaluation, so that no core idles while one process trains; it plays
   * the best model known now, one gate behind. Not when a limit will end the run first (the time
   * budget judged by the recent iterations' training and evaluation times), nor while changed
   * settings wait: the next iteration then starts after this one, and they apply from it.
   */
  private async startNextEarly(current: StartedIteration, lastCompleted: number, signal: AbortSignal, log: (message: string) => void): Promise<StartedIteration | null> {
    if (!this.config.overlapSelfplay || this.pendingChanges || signal.aborted) return null;
    const done = this.stats.runState.iterations;
    // Over an evaluation interval, so that an iteration without an evaluation does not count as the usual one.
    const recent = done.slice(-Math.max(1, this.config.evalInterval));
    const rest = Math.max(0, ...recent.map((s) => s.trainer_time + s.eval_time));
    const expected = { total_time: countedSeconds(current, lastCompleted) + rest };
    if (limitReached(this.config, [...done, expected])) return null;
    try {
      await this.executor?.ensureReady(signal);
    } catch (error) {
      if (signal.aborted) throw error;
      // The allocation (Slurm) could not be checked or made: this iteration finishes first, and the next start tries again.
      log(`the next iteration's self-play starts after this iteration: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
    return this.startIteration(current.iteration + 1, signal);
  }

  /** Trains and evaluates an iteration whose self-play has ended, and records it. */
  private async finishIteration(current: StartedIteration, selfplay: SelfplayResult, lastCompleted: number): Promise<IterationStats> {
    const { iteration, ctx, sims } = current;
    const config = ctx.config;
    // The previous iteration's model; a branch's iteration 1 starts from its iteration 0 (the parent's model).
    const previous = existsSync(this.paths.model(iteration - 1)) ? this.paths.model(iteration - 1) : null;
    const { completedSteps } = this.stats.resumeState();
    const done = this.stats.runState.iterations;
    // As of this iteration's end, which its training nearly is: the last iteration trains at the floor.
    const progress = runProgress(config, done.length + 1, iterationMinutes(done) + countedSeconds(current, lastCompleted) / 60);
    const train = await runTraining(ctx, { init: previous, startStep: completedSteps, learningRate: iterationLearningRate(config, progress) });
    await copyFileAtomic(this.paths.model(iteration), this.paths.latestModel);

    let evalSeconds = 0;
    let record = null;
    if (iteration % config.evalInterval === 0 || this.stats.runState.best === null) {
      // Holding the mutex keeps manual promote/revert out while an arena reads the best model.
      const outcome = await this.bestMutex.run(async () => {
        const state = this.stats.runState;
        const best = state.best;
        const evaluated =
          iteration % config.evalInterval === 0
            ? await runEvaluation(ctx, {
                candidate: this.paths.model(iteration),
                best,
                step: completedSteps + train.steps,
                rated: state.rated,
                bestMissed: best ? (state.evaluations.find((e) => e.iteration === best.iteration)?.accuracy?.missed ?? null) : null,
                unsupported: this.unsupportedPlayers,
              })
            : null;
        if (evaluated) await this.emit({ type: 'eval.completed', record: evaluated.record });
        const change = decideBestChange(best, iteration, evaluated?.record ?? null, new Date().toISOString());
        if (change) await commitBestChange(this.paths, best, change, (e) => this.emit(e));
        return evaluated;
      });
      evalSeconds = outcome?.seconds ?? 0;
      record = outcome?.record ?? null;
    }

    const stats: IterationStats = {
      iteration,
      episodes: selfplay.episodes,
      transitions: selfplay.positions,
      steps: train.steps,
      sims,
      actor_time: selfplay.seconds,
      trainer_time: train.seconds,
      eval_time: evalSeconds,
      total_time: countedSeconds(current, lastCompleted),
      eval_win_rate: record?.vs_champion?.win_rate ?? null,
      eval_draw_rate: record?.vs_champion?.draw_rate ?? null,
      vs_random_win_rate: record?.vs_random?.win_rate ?? null,
      final_loss: train.finalLoss,
      promoted: this.stats.runState.best?.iteration === iteration,
      timestamp: new Date().toISOString(),
    };
    await this.emit({ type: 'iteration.completed', stats });
    return stats;
  }

  /** Graceful, resumable stop; resolves once every child process is reaped. */
  async stop(): Promise<void> {
    const active = this.active;
    if (!active) return;
    // Abort first: the children get SIGTERM even if the journal cannot be written. The state
    // change is queued in the same tick, so it is journaled before the loop's "stopped".
    this.stopController?.abort();
    const stopping = this.emit({ type: 'run.state', status: 'stopping', iteration: this.stats.runState.current_iteration, message: 'stopping: children get SIGTERM' });
    await Promise.allSettled([stopping, active]);
  }

  /** A branch's starting model (its iteration 0, copied in by fork.ts) becomes its first best model. */
  async adoptStartingModel(note: string, by: string): Promise<BestModelInfo> {
    return this.bestMutex.run(() => commitBestChange(this.paths, this.stats.runState.best, { iteration: 0, reason: 'initial', by, time: new Date().toISOString(), note }, (e) => this.emit(e)));
  }

  /** A request from another process (runRequests.ts), carried out here. */
  private carryOut(request: RunRequest): Promise<unknown> {
    switch (request.action) {
      case 'promote':
        return this.promote(request.iteration!, request.by);
      case 'revert':
        return this.revert(request.by);
      case 'configure':
        return this.changeSettings(request.changes as LoopConfigInput, request.by);
      case 'stop':
        // Answered at once; the stop itself goes on (children get SIGTERM, then the run ends).
        void this.stop();
        return Promise.resolve(this.snapshot().summary);
    }
  }

  /** Waits for a running arena, then makes `iteration` the best model. */
  promote(iteration: number, by: string): Promise<BestModelInfo> {
    if (!Number.isInteger(iteration) || iteration < 1) return Promise.reject(new ApiError({ code: 'bad_request', message: `iteration must be a whole number from 1 (got ${iteration})` }));
    return this.changeBest('promote', iteration, async (current) => {
      if (current?.iteration === iteration) throw new ApiError({ code: 'bad_request', message: `iteration ${iteration} is already the best model` });
      return { iteration, reason: 'manual', by, time: new Date().toISOString(), note: `promoted by hand over iteration ${current?.iteration ?? 'none'}` };
    });
  }

  /** Waits for a running arena, then goes back to the best model before the current one. */
  revert(by: string): Promise<BestModelInfo> {
    return this.changeBest('revert', null, async (current) => {
      const previous = previousBest(current);
      if ('error' in previous) throw new ApiError({ code: 'bad_request', message: previous.error });
      return { iteration: previous.iteration, reason: 'revert', by, time: new Date().toISOString(), note: `reverted from iteration ${current!.iteration}` };
    });
  }

  private async changeBest(action: 'promote' | 'revert', iteration: number | null, decide: (current: BestModelInfo | null) => Promise<BestChange>): Promise<BestModelInfo> {
    if (this.bestMutex.locked) this.pendingBestChange = { action, iteration };
    try {
      return await this.bestMutex.run(async () => {
        this.pendingBestChange = null;
        const current = this.stats.runState.best;
        const change = await decide(current);
        return commitBestChange(this.paths, current, change, (e) => this.emit(e));
      });
    } finally {
      this.pendingBestChange = null;
    }
  }

  /**
   * Changes the run's settings. On a run this handle is driving they apply from
   * the next iteration (journaled when it starts); otherwise from the next
   * iteration the run will play, journaled now. Settings fixed at creation
   * are refused with the reason.
   */
  async changeSettings(input: LoopConfigInput, by: string): Promise<SettingsChange> {
    if (this.closed) throw new ApiError({ code: 'conflict', message: `run "${this.name}" was closed by this handle; open it again` });
    const base = this.pendingChanges ? this.pendingChanges.config : this.config;
    const result = changeConfig(base, input);
    if (!result.ok) throw new ApiError({ code: 'invalid_config', message: `cannot change the settings of "${this.name}": ${result.errors.map((e) => e.message).join(' ')}`, errors: result.errors });
    const from = this.config;
    const changes = configChanges(from, result.config);
    const next = this.stats.resumeState().nextIteration;
    if (Object.keys(changes).length === 0) {
      this.pendingChanges = null;
      return { changes, from_iteration: next, pending: false };
    }
    if (this.active) {
      this.pendingChanges = { config: result.config, by };
      const current = this.stats.runState.current_iteration;
      return { changes, from_iteration: current !== null ? current + 1 : next, pending: true };
    }
    await this.commitChanges(changes, by, next);
    return { changes, from_iteration: next, pending: false };
  }

  private async applyPendingChanges(iteration: number): Promise<void> {
    const pending = this.pendingChanges;
    if (!pending) return;
    this.pendingChanges = null;
    const changes = configChanges(this.config, pending.config);
    if (Object.keys(changes).length) await this.commitChanges(changes, pending.by, iteration);
  }

  private async commitChanges(changes: ConfigChanges, by: string, fromIteration: number): Promise<void> {
    await this.emit({ type: 'config.changed', changes, by, from_iteration: fromIteration });
    if (changes.actorCommand || changes.trainerCommand || changes.arenaCommand) this.engineCommands = resolveEngineCommands(this.config);
  }

  /** Whether a player id names something this run can play: a model it trained, or a reference player of its game. */
  private knownPlayer(id: string): boolean {
    const player = parsePlayerId(id);
    if (!player) return false;
    if (player.kind === 'model') return existsSync(this.paths.model(player.iteration));
    if (player.kind === 'random') return true;
    const solvers = GAME_SPECS[this.config.game].solver;
    return solvers !== null && player.depth >= 1 && player.depth <= solvers.maxDepth;
  }

  /** Starts a head-to-head match in the background; its games feed the ratings when it ends. */
  startMatch(request: MatchRequest): MatchState {
    if (this.closed) throw new ApiError({ code: 'conflict', message: `run "${this.name}" was closed by this handle; open it again` });
    const problem = matchRequestProblem(request, (id) => this.knownPlayer(id));
    if (problem) throw new ApiError({ code: 'bad_request', message: problem });
    const models = [request.a, request.b].map(parsePlayerId).flatMap((p) => (p?.kind === 'model' ? [p.iteration] : []));
    // Its logs and records sit with the newest model's iteration.
    const iteration = Math.max(...models, 1);
    const ctx = this.context(iteration, new AbortController().signal);
    const match = new HeadToHeadMatch(
      ctx,
      request,
      { a: arenaPlayerSpec(this.paths, request.a), b: arenaPlayerSpec(this.paths, request.b) },
      (state) => void this.emit({ type: 'match.updated', match: state }).catch(() => {}),
    );
    this.matches.set(match.id, match);
    return match.state;
  }

  async stopMatch(id: string): Promise<MatchState> {
    const match = this.matches.get(id);
    if (!match) throw new ApiError({ code: 'not_found', message: `no match ${JSON.stringify(id).slice(0, 40)} in run "${this.name}"` });
    await match.stop();
    return match.state;
  }

  /** Whether a match started here is still playing. */
  get matchesRunning(): boolean {
    return [...this.matches.values()].some((m) => m.state.status === 'running');
  }

  /** Resolves when every running match has ended. */
  async matchesDone(): Promise<void> {
    await Promise.all([...this.matches.values()].map((m) => m.done));
  }

  snapshot(): RunSnapshot {
    const state = this.stats.runState;
    const summary = runSummary(state, this.active ? undefined : state.status === 'running' || state.status === 'stopping' ? 'stopped' : undefined);
    return runSnapshot(state, summary, { logs: listLogs(this.paths), pending_best_change: this.pendingBestChange, matches: [...this.matches.values()].map((m) => m.state) });
  }
}

/**
 * RunManager: LoopdeckApi over a runs folder. The one service behind the CLI,
 * Electron IPC and the WebSocket server.
 *
 * A run this process works on (driving it, or playing a match on it) has one
 * Orchestrator handle here, which holds the run's lock; the handle is reserved
 * by name before the first await, so two calls at once (a double click on
 * Resume) can never open two drivers. Runs nobody here works on are read from
 * disk; promote/revert on a run another process drives go to that process.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError, type ForkRunRequest, type IterationRecords, type LogChunk, type LoopdeckClient, MAX_ITERATIONS_ASKED, type SettingsChange } from '../../../shared/api';
import { parsePlayerId } from '../../../shared/players';
import { commandFieldsSet, formatConfigErrors, validateConfig, type ValidationResult } from '../../../shared/config/validate';
import type { LoopConfigInput } from '../../../shared/config/fields';
import type { RunEvent } from '../../../shared/events';
import type { GamesChunk, GamesFile } from '../../../shared/gameRecords';
import type { MatchRequest, MatchState } from '../../../shared/matches';
import type { BestmoveReply, BoardLine, GameDeclaration } from '../../../shared/protocol';
import { isRunName, RUN_NAME_RULE } from '../../../shared/runName';
import { diskUsage, type DiskUsage } from '../../../shared/diskUsage';
import { freeBytes, sizeOf } from '../state/diskSpace';
import { emptyRunState, type RunView, runSummary, runView } from '../../../shared/runState';
import { keptIterations, runSnapshot } from '../../../shared/history';
import type { PortableFit } from '../../../shared/ratingFitter';
import { RatingFits } from '../evaluation/ratingFits';
import type { BestModelInfo, RunSummary } from '../../../shared/stats';
import type { RunSnapshot, RunState } from '../../../shared/runState';
import { resolveEngineCommands } from '../process/engineCommands';
import { listGameFiles, readGameRecords } from '../state/gameRecordsStore';
import { forkRun } from './fork';
import { JournalCorruptError } from '../state/journal';
import { ModelPlayerPool } from './modelPlayers';
import { PositionBoards } from './positionBoards';
import { engineGames } from './engineGames';
import { Orchestrator, type OrchestratorOptions } from '../orchestrator';
import { defaultActor } from './defaultActor';
import { isThisProcess, lockHolder, RunLockedError } from '../state/runLock';
import { sendRunRequest, type RunRequest } from '../runRequests';
import { listLogs, readLogChunk } from '../state/runLogs';
import { RunPaths } from '../state/runPaths';
import { fileVersion } from '../state/fileVersion';
import { StatsManager } from '../statsManager';
import type { ExperimentCell, ExperimentPlan, ExperimentRun, ExperimentSpec, ExperimentStatus } from '../../../shared/experiments/plan';
import { limitReached } from '../../../shared/runLimits';
import { experimentTag } from '../experiments/experimentRunner';
import { ExperimentQueues } from './experimentQueues';
import { Scales } from './scales';
import type { ScaleState } from '../../../shared/experiments/scale';

export interface RunManagerOptions extends OrchestratorOptions {
  runsDir: string;
  /** Where requests come from, for the best-model audit trail: "gui", "web", "cli". */
  surface: string;
  /** Whether callers may set settings that run commands; false for web clients unless `serve --allow-commands`. */
  allowCommands?: boolean;
}

interface Handle {
  /** Resolves to the open handle; settles before any other call can see a second one. */
  ready: Promise<Orchestrator>;
  /** The drive in progress, if any. */
  driving: Promise<unknown> | null;
  unsubscribe: (() => void) | null;
  /** Set once the handle is being closed; a new handle for the run opens after it. */
  closing: Promise<void> | null;
}

function asConflict(error: unknown): unknown {
  if (error instanceof RunLockedError) return new ApiError({ code: 'conflict', message: error.message });
  if (error instanceof JournalCorruptError) return new ApiError({ code: 'conflict', message: error.message });
  return error;
}

export class RunManager implements LoopdeckClient {
  private readonly handles = new Map<string, Handle>();
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly players = new ModelPlayerPool();
  private readonly boards = new PositionBoards();
  /** Fits of runs not open here, for their snapshots (a run open here fits its own). */
  private readonly ratings = new RatingFits();
  private readonly closedRunFits = new Map<string, { key: string; fit: Promise<PortableFit> }>();
  /**
   * Summaries of runs not open here, kept while their journals stay the same (size and time):
   * folding a 20,000-iteration journal takes seconds, and the panel lists runs every few seconds.
   */
  private readonly diskSummaries = new Map<string, { version: string; summary: RunSummary }>();
  private readonly experiments: ExperimentQueues;
  private readonly scales: Scales;

  constructor(private readonly options: RunManagerOptions) {
    this.scales = new Scales(options.runsDir);
    this.experiments = new ExperimentQueues({
      runsDir: options.runsDir,
      runToEnd: (plan, cell, run) => this.runToEnd(plan, cell, run),
      stopRun: (name) => this.stopRun(name),
      listRuns: () => this.listRuns(),
    });
  }

  get runsDir(): string {
    return this.options.runsDir;
  }

  onEvent(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish = (event: RunEvent) => {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One broken subscriber must not starve the others.
      }
    }
  };

  private paths(name: unknown): RunPaths {
    if (!isRunName(name)) throw new ApiError({ code: 'bad_request', message: `run name must be ${RUN_NAME_RULE} (got ${JSON.stringify(name)?.slice(0, 80)})` });
    const paths = new RunPaths(this.options.runsDir, name);
    if (!existsSync(paths.events)) throw new ApiError({ code: 'not_found', message: `no run named "${name}" in ${resolve(paths.runsDir)}` });
    return paths;
  }

  /**
   * The handle of a run this process works on, opening (and locking) it when
   * needed. The entry is set synchronously, so concurrent callers share one.
   */
  private handle(name: string, open: () => Promise<Orchestrator>): Handle {
    const existing = this.handles.get(name);
    if (existing && !existing.closing) return existing;
    const handle: Handle = { ready: (existing?.closing ?? Promise.resolve()).then(open), driving: null, unsubscribe: null, closing: null };
    this.handles.set(name, handle);
    handle.ready.then(
      (o) => (handle.unsubscribe = o.onEvent(this.publish)),
      () => this.handles.get(name) === handle && this.handles.delete(name),
    );
    handle.ready = handle.ready.catch((error) => {
      throw asConflict(error);
    });
    return handle;
  }

  /** Closes a handle nobody uses any more: no drive, no match. */
  private async release(name: string): Promise<void> {
    const handle = this.handles.get(name);
    if (!handle || handle.driving || handle.closing) return;
    const orchestrator = await handle.ready.catch(() => null);
    if (!orchestrator || orchestrator.isRunning || orchestrator.matches.running || handle.driving || handle.closing) return;
    if (this.handles.get(name) !== handle) return;
    handle.closing = (async () => {
      // Closing pushes what is still under way (the fit of a match's last games) before the windows stop listening.
      await orchestrator.close();
      handle.unsubscribe?.();
    })();
    await handle.closing;
    if (this.handles.get(name) === handle) this.handles.delete(name);
  }

  /** The open handle of a run, if this process works on it. */
  private async active(name: string): Promise<Orchestrator | null> {
    const handle = this.handles.get(name);
    return handle ? handle.ready.catch(() => null) : null;
  }

  /** The journal's status, corrected for a run whose driving process has died. */
  private async diskSummary(paths: RunPaths): Promise<RunSummary> {
    // The version is read before the journal: a journal that grows meanwhile is read again next time.
    const version = await fileVersion(paths.events);
    let kept = this.diskSummaries.get(paths.name);
    if (kept?.version !== version) {
      kept = { version, summary: runSummary(await StatsManager.peek(paths)) };
      this.diskSummaries.set(paths.name, kept);
    }
    return this.corrected(kept.summary, paths);
  }

  /** A run's summary from its journal's state, corrected for a driving process that has died. */
  private async summaryOf(state: RunState, paths: RunPaths): Promise<RunSummary> {
    return this.corrected(runSummary(state), paths);
  }

  /** A journal that says running or stopping speaks for a process that holds the run's lock; without one, the run is stopped. */
  private async corrected(summary: RunSummary, paths: RunPaths): Promise<RunSummary> {
    if (summary.status !== 'running' && summary.status !== 'stopping') return summary;
    return { ...summary, status: (await lockHolder(paths.lock)) !== null ? 'running' : 'stopped' };
  }

  async runsFolder(): Promise<string> {
    return resolve(this.options.runsDir);
  }

  async listRuns(): Promise<RunSummary[]> {
    if (!existsSync(this.options.runsDir)) return [];
    const summaries: RunSummary[] = [];
    for (const name of readdirSync(this.options.runsDir)) {
      const active = await this.active(name);
      if (active) {
        summaries.push(active.view().summary);
        continue;
      }
      const paths = new RunPaths(this.options.runsDir, name);
      if (!existsSync(paths.events)) continue;
      try {
        summaries.push(await this.diskSummary(paths));
      } catch (error) {
        if (!(error instanceof JournalCorruptError)) throw error;
        // Listed so the user sees it; resuming it reports the corrupt line.
        summaries.push(runSummary(emptyRunState(name), 'failed'));
      }
    }
    return summaries.sort((a, b) => b.created_at.localeCompare(a.created_at));
  }

  async getRun(name: string): Promise<RunSnapshot> {
    const active = await this.active(name);
    if (active) return active.snapshot();
    const view = await this.view(name);
    return runSnapshot(view, await this.ratingsOf(view.state));
  }

  async getIterations(name: string, from: number, to: number): Promise<IterationRecords> {
    if (from < 1 || to < from || to - from >= MAX_ITERATIONS_ASKED)
      throw new ApiError({ code: 'bad_request', message: `iterations from ${from} to ${to}: ask for 1 to ${MAX_ITERATIONS_ASKED} iterations, from 1 on, "from" no later than "to"` });
    const { state } = await this.view(name);
    const active = await this.active(name);
    const fit = active ? await active.ratings() : state.rated.length ? await this.ratings.fit(state.rated) : null;
    const inRange = (i: number) => i >= from && i <= to;
    return {
      iterations: state.iterations.filter((s) => inRange(s.iteration)),
      evaluations: state.evaluations.filter((e) => inRange(e.iteration)),
      ratings: (fit?.players ?? []).filter((p) => {
        const player = parsePlayerId(p.id);
        return player?.kind === 'model' && inRange(player.iteration);
      }),
    };
  }

  /** A run as this process sees it, its state whole (in-process callers: the CLI): from its orchestrator if open here, else from its journal. */
  async view(name: string): Promise<RunView> {
    const active = await this.active(name);
    if (active) return active.view();
    const paths = this.paths(name);
    const state = await StatsManager.peek(paths);
    if (!state.config) throw new ApiError({ code: 'internal', message: `${paths.events} has no run.created event` });
    return runView(state, await this.summaryOf(state, paths), { logs: listLogs(paths), pending_best_change: null, matches: [] });
  }

  /** The window fit of a run not open here, kept while its rated games stay the same (opening a run twice fits once). */
  private async ratingsOf(state: RunState): Promise<PortableFit | null> {
    if (!state.rated.length) return null;
    const key = `${state.rated.length}\n${state.updated_at}`;
    const cached = this.closedRunFits.get(state.name);
    if (cached?.key === key) return cached.fit;
    const fit = this.ratings.windowFit(state.rated, keptIterations(state));
    this.closedRunFits.set(state.name, { key, fit });
    fit.catch(() => this.closedRunFits.delete(state.name));
    return fit;
  }

  async diskUsage(name: string): Promise<DiskUsage> {
    const paths = this.paths(name);
    const { state } = await this.view(name);
    return diskUsage(state, await sizeOf(paths.root), await freeBytes(paths.root));
  }

  /** Drives the run of a handle; the handle closes when the drive ends and nothing else uses it. */
  private async drive(name: string, handle: Handle): Promise<RunSummary> {
    if (handle.driving) throw new ApiError({ code: 'conflict', message: `run "${name}" is already running` });
    const driving = handle.ready
      .then((o) => o.run())
      .catch(() => {
        // A failed run is journaled and pushed as run.error; a failed open is the caller's error, below.
      })
      .finally(() => {
        handle.driving = null;
        void this.release(name);
      });
    handle.driving = driving;
    const orchestrator = await handle.ready;
    return orchestrator.view().summary;
  }

  /** Settings that name a program to execute, refused when this surface may not run commands. */
  private refuseCommands(input: LoopConfigInput): void {
    if (this.options.allowCommands !== false) return;
    const errors = commandFieldsSet(input).map((field) => ({
      field: field.key,
      message: `${field.label}: setting a command from the web panel is off; leave it empty for the bundled engine, or restart the server with "loopdeck serve --allow-commands" (the token then grants code execution)`,
    }));
    if (errors.length) throw new ApiError({ code: 'invalid_config', message: errors.map((e) => e.message).join(' '), errors });
  }

  async startRun(input: LoopConfigInput): Promise<RunSummary> {
    this.refuseCommands(input);
    const result = validateConfig({ ...input, runsDir: this.options.runsDir });
    if (!result.ok) throw new ApiError({ code: 'invalid_config', message: `invalid configuration: ${result.errors.map((e) => e.message).join(' ')}`, errors: result.errors });
    const name = result.config.name;
    if (this.handles.has(name) && !this.handles.get(name)!.closing) throw new ApiError({ code: 'conflict', message: `a run named "${name}" already exists; choose another name` });
    return this.drive(
      name,
      this.handle(name, () => Orchestrator.create(result.config, this.options)),
    );
  }

  async resumeRun(name: string): Promise<RunSummary> {
    if (!this.handles.has(name)) this.paths(name);
    return this.drive(
      name,
      this.handle(name, () => Orchestrator.open(this.options.runsDir, name, this.options)),
    );
  }

  /** Stops a run driven here, or asks the process that drives it (it answers at once and stops gracefully). */
  async stopRun(name: string): Promise<RunSummary> {
    const handle = this.handles.get(name);
    if (handle?.driving) {
      const orchestrator = await handle.ready;
      await orchestrator.stop();
      await handle.driving?.catch(() => {});
      return orchestrator.view().summary;
    }
    const paths = this.paths(name);
    if (await this.drivenElsewhere(paths)) return (await sendRunRequest<RunSummary>(paths.requestsDir, paths.lock, this.request({ action: 'stop' }))) ?? this.diskSummary(paths);
    const active = await this.active(name);
    return active ? active.view().summary : this.diskSummary(paths);
  }

  /** Whether another process drives the run (holds its lock): requests then go to that process. */
  private async drivenElsewhere(paths: RunPaths): Promise<boolean> {
    const holder = await lockHolder(paths.lock);
    return holder !== null && !isThisProcess(holder);
  }

  /** A request as the audit trail records it: who asked, from which surface, and when. */
  private request<R extends Omit<RunRequest, 'by' | 'time'>>(fields: R): R & { by: string; time: string } {
    return { ...fields, by: defaultActor(this.options.surface), time: new Date().toISOString() };
  }

  /**
   * Carries a change out where the run is driven: in the process that drives it (a request to its
   * inbox), or here on the run's handle when this process works on it or nobody drives it.
   */
  private async routed<T>(name: string, request: RunRequest, here: (o: Orchestrator) => Promise<T> | T): Promise<T> {
    if (!this.handles.has(name)) {
      const paths = this.paths(name);
      if (await this.drivenElsewhere(paths)) {
        const answer = await sendRunRequest<T>(paths.requestsDir, paths.lock, request);
        if (answer !== null) return answer;
      }
    }
    return this.withHandle(name, here);
  }

  /** Runs `use` on the run's handle (opening it if needed) and closes the handle after, unless something else uses it. */
  private async withHandle<T>(name: string, use: (o: Orchestrator) => Promise<T> | T): Promise<T> {
    if (!this.handles.has(name)) this.paths(name);
    const handle = this.handle(name, () => Orchestrator.open(this.options.runsDir, name, this.options));
    try {
      return await use(await handle.ready);
    } finally {
      await this.release(name);
    }
  }

  promote(name: string, iteration: number, seenBest: number | null): Promise<BestModelInfo> {
    const request = this.request({ action: 'promote' as const, iteration, seen_best: seenBest });
    return this.routed(name, request, (o) => o.best.promote(iteration, request.by, seenBest));
  }

  revert(name: string, seenBest: number | null): Promise<BestModelInfo> {
    const request = this.request({ action: 'revert' as const, seen_best: seenBest });
    return this.routed(name, request, (o) => o.best.revert(request.by, seenBest));
  }

  /** Changes a run's settings: from its next iteration if it is running (here or in another process), else from the iteration it resumes at. */
  async changeSettings(name: string, input: LoopConfigInput): Promise<SettingsChange> {
    this.refuseCommands(input);
    const request = this.request({ action: 'configure' as const, changes: input as Record<string, unknown> });
    return this.routed(name, request, (o) => o.settings.change(input, request.by));
  }

  async forkRun(name: string, iteration: number, request: ForkRunRequest): Promise<RunSummary> {
    this.paths(name);
    const input = request.changes && typeof request.changes === 'object' ? request.changes : {};
    this.refuseCommands(input);
    if (typeof request.name !== 'string' || this.handles.has(request.name))
      throw new ApiError({ code: 'conflict', message: `a run named ${JSON.stringify(request.name)?.slice(0, 80)} already exists; choose another name` });
    const fork = { name: request.name, withReplay: request.with_replay === true, changes: input, by: defaultActor(this.options.surface) };
    return this.drive(
      request.name,
      this.handle(request.name, () => forkRun(this.options.runsDir, name, iteration, fork, this.options)),
    );
  }

  async readLog(name: string, iteration: number, processName: string, offset: number): Promise<LogChunk> {
    return readLogChunk(this.paths(name), iteration, processName, offset);
  }

  async validateConfig(input: LoopConfigInput): Promise<ValidationResult> {
    return validateConfig(input);
  }

  async listGames(name: string, iteration: number): Promise<GamesFile[]> {
    return listGameFiles(this.paths(name), iteration);
  }

  async readGames(name: string, iteration: number, file: string): Promise<GamesChunk> {
    const { state } = await this.view(name);
    const game = declaredGameOf(state);
    return readGameRecords(this.paths(name), game, iteration, file, (positions) => this.boards.show(resolveEngineCommands(state.config).actor, game, positions));
  }

  async showPositions(name: string, positions: string[]): Promise<BoardLine[]> {
    const { state } = await this.view(name);
    return this.boards.show(resolveEngineCommands(state.config).actor, declaredGameOf(state), positions);
  }

  async engineGames(actorCommand: string[] | null): Promise<GameDeclaration[]> {
    const input = { actorCommand };
    this.refuseCommands(input);
    const checked = validateConfig(input);
    if (!checked.ok) throw new ApiError({ code: 'invalid_config', message: formatConfigErrors(checked.errors), errors: checked.errors });
    return engineGames(resolveEngineCommands(checked.config).actor);
  }

  async bestMove(name: string, iteration: number, position: string, sims: number): Promise<BestmoveReply> {
    const paths = this.paths(name);
    if (!Number.isInteger(sims) || sims < 1 || sims > 100_000) throw new ApiError({ code: 'bad_request', message: `simulations must be a whole number from 1 to 100000 (got ${sims})` });
    const model = paths.model(iteration);
    if (!existsSync(model)) throw new ApiError({ code: 'not_found', message: `iteration ${iteration} of "${name}" has no model` });
    const { state } = await this.view(name);
    const reply = await this.players.bestMove({ command: resolveEngineCommands(state.config).arena, game: state.config.game, model, sims, position });
    const game = declaredGameOf(state);
    const misfit =
      !Number.isInteger(reply.move) || reply.move < 1 || reply.move > game.actions
        ? `move ${reply.move} is not one of the ${game.actions} actions it declares`
        : reply.policy.length !== game.actions
          ? `its policy has ${reply.policy.length} entries for ${game.actions} actions`
          : null;
    if (misfit) throw new ApiError({ code: 'internal', message: `the engine's bestmove answer for "${position}" does not fit ${game.label} as declared: ${misfit}` });
    return reply;
  }

  async startMatch(name: string, request: MatchRequest): Promise<MatchState> {
    if (!this.handles.has(name) && (await this.drivenElsewhere(this.paths(name)))) {
      const holder = await lockHolder(this.paths(name).lock);
      throw new ApiError({ code: 'conflict', message: `run "${name}" is driven by process ${holder?.pid} on ${holder?.host}; start the match where it is driven` });
    }
    const state = await this.withHandle(name, (o) => o.matches.start(request));
    // The handle stays open while the match plays, and closes after unless a drive uses it.
    const orchestrator = await this.active(name);
    if (orchestrator) void orchestrator.matches.done().then(() => this.release(name));
    return state;
  }

  async stopMatch(name: string, id: string): Promise<MatchState> {
    const orchestrator = await this.active(name);
    if (!orchestrator) throw new ApiError({ code: 'not_found', message: `no match ${JSON.stringify(id).slice(0, 40)} is playing in run "${name}"` });
    return orchestrator.matches.stop(id);
  }

  startScale(name: string, runs: string[], games: number): Promise<ScaleState> {
    return this.scales.start(name, runs, games);
  }

  getScale(name: string): Promise<ScaleState> {
    return this.scales.get(name);
  }

  listExperiments(): Promise<ExperimentStatus[]> {
    return this.experiments.list();
  }

  async startExperiment(spec: ExperimentSpec): Promise<ExperimentStatus> {
    this.refuseCommands(spec.base ?? {});
    return this.experiments.start(spec);
  }

  resumeExperiment(name: string): Promise<ExperimentStatus> {
    return this.experiments.resume(name);
  }

  stopExperiment(name: string): Promise<ExperimentStatus> {
    return this.experiments.stop(name);
  }

  /** One run of an experiment, driven here like any run (its events reach every window) until it ends. */
  private async runToEnd(plan: ExperimentPlan, cell: ExperimentCell, run: ExperimentRun): Promise<void> {
    const paths = new RunPaths(this.options.runsDir, run.name);
    const handle = this.handle(run.name, () =>
      existsSync(paths.events) ? Orchestrator.open(this.options.runsDir, run.name, this.options) : Orchestrator.create(run.config, this.options, undefined, experimentTag(plan, cell, run)),
    );
    const { state } = (await handle.ready).view();
    if (limitReached(state.config, state.iterations)) {
      await this.release(run.name);
      return;
    }
    await this.drive(run.name, handle);
    await handle.driving;
  }

  /** Stops every run and match worked on here, gracefully; resolves when all children are reaped. */
  async shutdown(): Promise<void> {
    this.experiments.close();
    await this.scales.close();
    const handles = [...this.handles.entries()];
    await Promise.all(
      handles.map(async ([name, handle]) => {
        const orchestrator = await handle.ready.catch(() => null);
        await orchestrator?.close();
        await handle.driving?.catch(() => {});
        handle.unsubscribe?.();
        this.handles.delete(name);
      }),
    );
    await Promise.all([this.players.close(), this.boards.close(), this.ratings.close()]);
  }

  get activeRuns(): string[] {
    return [...this.handles.entries()].filter(([, h]) => h.driving !== null).map(([name]) => name);
  }
}

/** A run's declared game; a run whose journal holds none cannot show positions. */
function declaredGameOf(state: RunState): GameDeclaration {
  if (!state.game) throw new ApiError({ code: 'internal', message: `run "${state.name}" declares no game, and "${state.config?.game}" is none of Loopdeck's own` });
  return state.game;
}

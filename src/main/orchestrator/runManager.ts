/**
 * RunManager: LoopdeckApi over a runs folder. The one service behind the CLI,
 * Electron IPC and the WebSocket server. Runs started here are driven by
 * Orchestrators in this process; the others are read from disk.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError, type LogChunk, type LoopdeckClient } from '../../shared/api';
import { commandFieldsSet, validateConfig, type LoopConfigInput, type ValidationResult } from '../../shared/config';
import type { RunEvent } from '../../shared/events';
import { emptyRunState, runSummary } from '../../shared/runState';
import type { BestModelInfo, RunSnapshot, RunSummary } from '../../shared/stats';
import { JournalCorruptError } from './journal';
import { defaultActor, Orchestrator, type OrchestratorOptions } from './orchestrator';
import { lockHolder } from './runLock';
import { sendRunRequest, type RunRequest } from './runRequests';
import { listLogs, readLogChunk } from './runLogs';
import { RunPaths } from './runPaths';
import { StatsManager } from './statsManager';

export interface RunManagerOptions extends OrchestratorOptions {
  runsDir: string;
  /** Where requests come from, for the best-model audit trail: "gui", "web", "cli". */
  surface: string;
  /** Whether callers may set settings that run commands; false for web clients unless `serve --allow-commands`. */
  allowCommands?: boolean;
}

const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export class RunManager implements LoopdeckClient {
  private readonly active = new Map<string, { orchestrator: Orchestrator; done: Promise<unknown> }>();
  private readonly listeners = new Set<(event: RunEvent) => void>();

  constructor(private readonly options: RunManagerOptions) {}

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
    if (typeof name !== 'string' || !RUN_NAME.test(name)) throw new ApiError({ code: 'bad_request', message: `run name must be 1-100 letters, digits, ".", "-" or "_" (got ${JSON.stringify(name)})` });
    const paths = new RunPaths(this.options.runsDir, name);
    if (!existsSync(paths.events)) throw new ApiError({ code: 'not_found', message: `no run named "${name}" in ${resolve(paths.runsDir)}` });
    return paths;
  }

  /** The journal's status, corrected for a run whose driving process has died. */
  private async diskSummary(paths: RunPaths): Promise<RunSummary> {
    const state = await StatsManager.peek(paths);
    const live = (state.status === 'running' || state.status === 'stopping') && (await lockHolder(paths.lock)) !== null;
    return runSummary(state, state.status === 'running' || state.status === 'stopping' ? (live ? 'running' : 'stopped') : undefined);
  }

  async listRuns(): Promise<RunSummary[]> {
    if (!existsSync(this.options.runsDir)) return [];
    const summaries: RunSummary[] = [];
    for (const name of readdirSync(this.options.runsDir)) {
      const active = this.active.get(name);
      if (active) {
        summaries.push(active.orchestrator.snapshot().summary);
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
    const active = this.active.get(name);
    if (active) return active.orchestrator.snapshot();
    const paths = this.paths(name);
    const state = await StatsManager.peek(paths);
    if (!state.config) throw new ApiError({ code: 'internal', message: `${paths.events} has no run.created event` });
    return {
      summary: await this.diskSummary(paths),
      config: state.config,
      phase: null,
      iterations: state.iterations,
      evaluations: state.evaluations,
      loss: state.loss,
      rated: state.rated,
      best: state.best,
      error: state.error,
      logs: listLogs(paths),
      pending_best_change: null,
    };
  }

  private drive(orchestrator: Orchestrator): RunSummary {
    const unsubscribe = orchestrator.onEvent(this.publish);
    const done = orchestrator
      .run()
      .catch(() => {
        // The failure is journaled and pushed as run.error; nothing else to do here.
      })
      .finally(() => {
        unsubscribe();
        this.active.delete(orchestrator.name);
      });
    this.active.set(orchestrator.name, { orchestrator, done });
    return orchestrator.snapshot().summary;
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
    const orchestrator = await Orchestrator.create(result.config, this.options);
    return this.drive(orchestrator);
  }

  async resumeRun(name: string): Promise<RunSummary> {
    if (this.active.has(name)) throw new ApiError({ code: 'conflict', message: `run "${name}" is already running` });
    const paths = this.paths(name);
    const holder = await lockHolder(paths.lock);
    if (holder !== null && holder !== process.pid) throw new ApiError({ code: 'conflict', message: `run "${name}" is being run by process ${holder}; stop it there first` });
    let orchestrator: Orchestrator;
    try {
      orchestrator = await Orchestrator.open(this.options.runsDir, name, this.options);
    } catch (error) {
      if (error instanceof JournalCorruptError) throw new ApiError({ code: 'conflict', message: error.message });
      throw error;
    }
    return this.drive(orchestrator);
  }

  async stopRun(name: string): Promise<RunSummary> {
    const active = this.active.get(name);
    if (!active) {
      const paths = this.paths(name);
      const holder = await lockHolder(paths.lock);
      if (holder !== null && holder !== process.pid) throw new ApiError({ code: 'conflict', message: `run "${name}" is being run by process ${holder}; stop it there (Ctrl-C, or kill -TERM ${holder})` });
      return this.diskSummary(paths);
    }
    await active.orchestrator.stop();
    await active.done;
    return this.diskSummary(active.orchestrator.paths);
  }

  private async withOrchestrator<T>(name: string, use: (o: Orchestrator) => Promise<T>): Promise<T> {
    const active = this.active.get(name);
    if (active) return use(active.orchestrator);
    this.paths(name);
    const orchestrator = await Orchestrator.open(this.options.runsDir, name, this.options);
    const unsubscribe = orchestrator.onEvent(this.publish);
    try {
      return await use(orchestrator);
    } finally {
      unsubscribe();
    }
  }

  promote(name: string, iteration: number): Promise<BestModelInfo> {
    const by = defaultActor(this.options.surface);
    return this.changeBest(name, { action: 'promote', iteration, by, time: new Date().toISOString() }, (o) => o.promote(iteration, by));
  }

  revert(name: string): Promise<BestModelInfo> {
    const by = defaultActor(this.options.surface);
    return this.changeBest(name, { action: 'revert', by, time: new Date().toISOString() }, (o) => o.revert(by));
  }

  /** Here if this process drives the run (or nobody does); else a request to the process that does. */
  private async changeBest(name: string, request: RunRequest, direct: (o: Orchestrator) => Promise<BestModelInfo>): Promise<BestModelInfo> {
    if (!this.active.has(name)) {
      const paths = this.paths(name);
      const holder = await lockHolder(paths.lock);
      if (holder !== null && holder !== process.pid) {
        const best = await sendRunRequest(paths.requestsDir, paths.lock, request);
        if (best) return best;
      }
    }
    return this.withOrchestrator(name, direct);
  }

  async readLog(name: string, iteration: number, processName: string, offset: number): Promise<LogChunk> {
    return readLogChunk(this.paths(name), iteration, processName, offset);
  }

  async validateConfig(input: LoopConfigInput): Promise<ValidationResult> {
    return validateConfig(input);
  }

  /** Stops every run driven here, gracefully; resolves when all children are reaped. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.active.values()].map(async ({ orchestrator, done }) => {
      await orchestrator.stop();
      await done;
    }));
  }

  get activeRuns(): string[] {
    return [...this.active.keys()];
  }
}

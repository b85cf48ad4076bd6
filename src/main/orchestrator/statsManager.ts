/**
 * StatsManager owns a run's journal (events.jsonl, the source of truth) and
 * keeps its projections (loop_stats.json, eval_stats.json, stats.json,
 * best_model.json) in step, always written atomically.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import type { LoopConfig } from '../../shared/config/fields';
import type { RunEvent } from '../../shared/events';
import { isJournaled } from '../../shared/events';
import { applyRunEvent, foldRunEvents, type RunState } from '../../shared/runState';
import type { RunParent } from '../../shared/stats';
import type { GameDeclaration } from '../../shared/protocol';
import { writeJsonAtomic } from '../../node/atomicWrite';
import { JournalWriter, readJournal } from './state/journal';
import { projectionsOf } from './state/projections';
import { RatingFits } from './evaluation/ratingFits';
import type { RatingFit } from '../../shared/ratings';
import type { Provenance } from '../../shared/provenance';
import type { RunExperiment } from '../../shared/stats';
import { decideBestChange, type BestChange } from './best/bestModel';
import type { EngineCommands } from './process/engineCommands';
import type { RunPaths } from './state/runPaths';

export interface RunMeta {
  engine: EngineCommands;
  appVersion: string;
  /** For a branch: where it comes from. */
  parent?: RunParent;
  /** The game as the actor engine declared it (protocol `games`). */
  game?: GameDeclaration;
  /** What the run is made with: versions, machine, engine files, seed. */
  provenance?: Provenance;
  /** The experiment the run is a cell of (docs/cli.md, experiment). */
  experiment?: RunExperiment;
}

export interface ResumeState {
  completedIterations: number[];
  nextIteration: number;
  /** Trainer steps taken by the completed iterations. */
  completedSteps: number;
}

/**
 * Projections are rewritten at most once a second, and never more than a twentieth of the time:
 * a run of thousands of iterations has tens of megabytes of projections, so its writes space out.
 * The journal is the source of truth; flush() and the next open bring the projections up to date.
 */
const PROJECTION_INTERVAL_MS = 1000;
const PROJECTION_TIME_SHARE = 1 / 20;
const PROMPT_EVENTS: ReadonlySet<RunEvent['type']> = new Set(['run.created', 'run.state', 'best.changed', 'config.changed']);

export class StatsManager {
  private state: RunState;
  private readonly journal: JournalWriter;
  /** When the projections may next be written. */
  private nextProjectionWrite = 0;
  private writes: Promise<void> = Promise.resolve();
  /** Messages about projections rebuilt on open. */
  readonly repairs: string[] = [];
  /** A promotion the last completed iteration earned that a crash kept from being journaled (resuming applies it). */
  interruptedPromotion: BestChange | null = null;
  /** The run's rating fit, in a worker thread. */
  readonly ratings = new RatingFits();

  private constructor(
    readonly paths: RunPaths,
    state: RunState,
  ) {
    this.state = state;
    this.journal = new JournalWriter(paths.events);
  }

  static async create(paths: RunPaths, config: LoopConfig, meta: RunMeta, time = new Date().toISOString()): Promise<StatsManager> {
    await mkdir(paths.root, { recursive: true });
    await writeJsonAtomic(paths.runJson, {
      name: config.name,
      game: config.game,
      ...(meta.game ? { game_declaration: meta.game } : {}),
      config,
      engine: meta.engine,
      created_at: time,
      app_version: meta.appVersion,
      ...(meta.parent ? { parent: meta.parent } : {}),
      ...(meta.provenance ? { provenance: meta.provenance } : {}),
      ...(meta.experiment ? { experiment: meta.experiment } : {}),
    });
    const manager = new StatsManager(paths, foldRunEvents(config.name, []));
    await manager.append({
      type: 'run.created',
      run: config.name,
      time,
      config,
      app_version: meta.appVersion,
      ...(meta.parent ? { parent: meta.parent } : {}),
      ...(meta.game ? { game: meta.game } : {}),
      ...(meta.provenance ? { provenance: meta.provenance } : {}),
      ...(meta.experiment ? { experiment: meta.experiment } : {}),
    });
    return manager;
  }

  /** Opens an existing run; throws JournalCorruptError on a corrupt journal line. */
  static async open(paths: RunPaths): Promise<StatsManager> {
    const contents = await readJournal(paths.events);
    if (!contents.events.some((e) => e.type === 'run.created')) throw new Error(`${paths.root} is not a Loopdeck run: ${paths.events} has no run.created event`);
    const manager = new StatsManager(paths, foldRunEvents(paths.name, contents.events));
    manager.interruptedPromotion = interruptedPromotion(contents.events, manager.state);
    if (contents.tornTail !== null) manager.repairs.push(`cut a torn final line off ${paths.events} (a write cut short by a crash)`);
    if (contents.missingNewline) manager.repairs.push(`ended the last line of ${paths.events} with the newline a crash left out`);
    await JournalWriter.repairTail(paths.events, contents);
    await manager.repairProjections();
    return manager;
  }

  /** Reads only what listing a run needs, without repairing anything. */
  static async peek(paths: RunPaths): Promise<RunState> {
    const contents = await readJournal(paths.events);
    return foldRunEvents(paths.name, contents.events);
  }

  get config(): LoopConfig {
    if (!this.state.config) throw new Error(`${this.paths.events} has no config`);
    return this.state.config;
  }

  /** The run's game as declared when it was made (a run from before declarations: its bundled game's). */
  get game(): GameDeclaration {
    if (!this.state.game) throw new Error(`${this.paths.events} declares no game, and "${this.config.game}" is none of Loopdeck's own; this run cannot be opened by this version`);
    return this.state.game;
  }

  get runState(): RunState {
    return this.state;
  }

  async readMeta(): Promise<RunMeta | null> {
    try {
      const json = JSON.parse(await readFile(this.paths.runJson, 'utf8'));
      return { engine: json.engine, appVersion: json.app_version };
    } catch {
      return null;
    }
  }

  resumeState(): ResumeState {
    const completed = this.state.iterations.map((s) => s.iteration);
    return {
      completedIterations: completed,
      nextIteration: completed.length ? Math.max(...completed) + 1 : 1,
      // A branch's schedule continues from its parent's steps.
      completedSteps: (this.state.parent?.steps ?? 0) + this.state.iterations.reduce((sum, s) => sum + s.steps, 0),
    };
  }

  /** Apply an event; journaled ones are on disk when this resolves, and their projections within the projections' interval. */
  async append(event: RunEvent): Promise<void> {
    this.state = applyRunEvent(this.state, event);
    if (!isJournaled(event)) return;
    await this.journal.append(event);
    if (event.type === 'config.changed') await this.recordConfigInRunJson();
    // A change of the best model, of settings or of the run's state shows at once; the rest waits for the interval.
    if (performance.now() < this.nextProjectionWrite && !PROMPT_EVENTS.has(event.type)) return;
    await this.writeProjections();
  }

  /** run.json keeps the settings in force and every change (who, when, from which iteration). */
  private async recordConfigInRunJson(): Promise<void> {
    const current = JSON.parse(await readFile(this.paths.runJson, 'utf8').catch(() => '{}')) as Record<string, unknown>;
    await writeJsonAtomic(this.paths.runJson, { ...current, config: this.state.config, history: this.state.config_changes });
  }

  /** Flush projections held back by the stats.json rate limit. */
  async flush(): Promise<void> {
    await this.writeProjections();
  }

  private writeProjections(): Promise<void> {
    const state = this.state;
    const write = this.writes.then(async () => {
      const started = performance.now();
      for (const p of projectionsOf(state, this.paths, await this.fitOf(state))) await writeJsonAtomic(p.path, p.content);
      const took = performance.now() - started;
      this.nextProjectionWrite = performance.now() + Math.max(PROJECTION_INTERVAL_MS, took / PROJECTION_TIME_SHARE);
    });
    this.writes = write.catch(() => {});
    return write;
  }

  private fitOf(state: RunState): Promise<RatingFit | null> {
    return state.rated.length ? this.ratings.fit(state.rated) : Promise.resolve(null);
  }

  /** Ends the rating fit's worker (the journal needs no closing: every append is whole on disk). */
  close(): Promise<void> {
    return this.ratings.close();
  }

  /** Rewrites any projection that is missing, unreadable or out of step with the journal. */
  async repairProjections(): Promise<void> {
    for (const p of projectionsOf(this.state, this.paths, await this.fitOf(this.state))) {
      let onDisk: unknown;
      let problem: string | null = null;
      try {
        onDisk = JSON.parse(await readFile(p.path, 'utf8'));
      } catch (error) {
        problem = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable (${(error as Error).message})`;
      }
      if (problem === null && isDeepStrictEqual(onDisk, p.content)) continue;
      this.repairs.push(`rebuilt ${p.path} from events.jsonl: it was ${problem ?? 'out of step with the journal'}`);
      await writeJsonAtomic(p.path, p.content);
    }
  }
}

/**
 * An iteration journals its completion, then the promotion it earned (iteration.ts): a journal whose
 * last completed iteration says it was promoted, with no best.changed after it, was cut between the two.
 */
function interruptedPromotion(events: readonly RunEvent[], state: RunState): BestChange | null {
  const last = events.findLastIndex((e) => e.type === 'iteration.completed');
  if (last < 0) return null;
  const completed = events[last] as Extract<RunEvent, { type: 'iteration.completed' }>;
  if (!completed.stats.promoted || events.slice(last + 1).some((e) => e.type === 'best.changed')) return null;
  const iteration = completed.stats.iteration;
  if (state.best?.iteration === iteration) return null;
  const record = state.evaluations.find((e) => e.iteration === iteration) ?? null;
  return decideBestChange(state.best, iteration, record, completed.time);
}

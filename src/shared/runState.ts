/**
 * The state of a run as a fold over its RunEvents. The orchestrator's
 * StatsManager rebuilds it from events.jsonl; the renderer's store applies
 * the same function to pushed events, so both always agree.
 */
import { defaultConfig } from './config/defaults';
import type { Provenance } from './provenance';
import type { ConfigChange } from './config/changes';
import type { LoopConfig } from './config/fields';
import { legacyDeclaration } from './games/declaration';
import type { GameDeclaration } from './protocol';
import type { RunEvent } from './events';
import type { MatchState } from './matches';
import { parsePlayerId } from './players';
import { iterationMinutes } from './runLimits';
import { withBestChange } from './bestHistory';
import type { PortableFit } from './ratingFitter';
import type { BestModelInfo, EvalRecord, IterationStats, LossPoint, PhaseProgress, RatedGames, RunError, RunExperiment, RunParent, RunStatus, RunSummary } from './stats';

/** A run as the process that serves it sees it: its whole state, and what only that process knows. */
export interface RunView {
  summary: RunSummary;
  /** The run's state, its status as the summary tells it (a run whose process died is stopped, with no phase). */
  state: RunState & { config: LoopConfig };
  /** Process names with logs, per iteration: { "1": ["actor-1", "trainer", "eval"] }. */
  logs: Record<string, string[]>;
  /** Manual promote/revert waiting for the current arena to finish. */
  pending_best_change: { action: 'promote' | 'revert'; iteration: number | null } | null;
  /** Head-to-head matches started since the run was opened by the process that serves it. */
  matches: MatchState[];
}

/**
 * Everything a window needs to draw a run, bounded whatever the run's length (history.ts): the kept
 * iterations' state and logs, and the rating fit of their models. Events then keep `state` current
 * with the same fold (runState.ts) the orchestrator uses, and ratings.fitted keeps `ratings` current.
 */
export interface RunSnapshot extends RunView {
  /** The orchestrator's rating fit of the kept players (null: no rated games yet). */
  ratings: PortableFit | null;
}

/** Completed iterations a window's bounded history left out, their seconds, and of their evaluations the gate's candidates and promotions. */
export interface Omitted {
  iterations: number;
  seconds: number;
  candidates: number;
  promotions: number;
}

export const NOTHING_OMITTED: Omitted = { iterations: 0, seconds: 0, candidates: 0, promotions: 0 };

export interface RunState {
  name: string;
  config: LoopConfig | null;
  created_at: string;
  updated_at: string;
  status: RunStatus;
  /** The newest iteration being worked on (started, not completed), if any. */
  current_iteration: number | null;
  /** The phases under way, oldest iteration first: two when the next iteration's self-play overlaps this one's training or evaluation. */
  phases: PhaseProgress[];
  iterations: IterationStats[];
  evaluations: EvalRecord[];
  loss: LossPoint[];
  /** Every rated match, the ratings' input. */
  rated: RatedGames[];
  /** Every change of settings after the run was created, oldest first. */
  config_changes: ConfigChange[];
  /** The run this one was branched from. */
  parent: RunParent | null;
  /** The game as the actor engine declared it when the run was made (a run from before declarations: its bundled game's, or null). */
  game: GameDeclaration | null;
  /** What the run was made with (null for runs made before it was recorded). */
  provenance: Provenance | null;
  /** The experiment the run is a cell of, or null. */
  experiment: RunExperiment | null;
  best: BestModelInfo | null;
  error: RunError | null;
  /** Bytes retention has deleted from the run folder. */
  deleted_bytes: number;
  /** What retention deleted after each of the last iterations (for the disk's growth). */
  recent_deletions: { iteration: number; bytes: number }[];
  /** The newest iteration any rated games involve (so a redone iteration knows whether it has games to drop). */
  rated_through: number;
  /** What a window's bounded history left out (history.ts): none in the journal's fold. */
  omitted: Omitted;
}

/** Whether rated games involve a model of `iteration` or later, or were played by such an iteration's evaluation. */
function fromIterationOn(games: RatedGames, iteration: number): boolean {
  if (games.iteration !== null && games.iteration >= iteration) return true;
  return [games.a, games.b].some((id) => {
    const player = parsePlayerId(id);
    return player?.kind === 'model' && player.iteration >= iteration;
  });
}

/** Deletions the state keeps for the disk's growth (the panel looks at the last ten iterations). */
const RECENT_DELETIONS = 20;

/** The newest iteration rated games involve: the evaluation's, or a model's. */
function ratedIteration(games: RatedGames): number {
  let newest = games.iteration ?? 0;
  for (const id of [games.a, games.b]) {
    const player = parsePlayerId(id);
    if (player?.kind === 'model') newest = Math.max(newest, player.iteration);
  }
  return newest;
}

export function emptyRunState(name: string): RunState {
  return {
    name,
    config: null,
    created_at: '',
    updated_at: '',
    status: 'idle',
    current_iteration: null,
    phases: [],
    iterations: [],
    evaluations: [],
    loss: [],
    rated: [],
    config_changes: [],
    parent: null,
    game: null,
    provenance: null,
    experiment: null,
    best: null,
    error: null,
    deleted_bytes: 0,
    recent_deletions: [],
    rated_through: 0,
    omitted: NOTHING_OMITTED,
  };
}

/** Replace the record of the same iteration, or insert in iteration order. */

/** The phases under way with `phase` in place of its iteration's (an iteration runs one phase at a time). */
function withPhase(phases: PhaseProgress[], phase: PhaseProgress): PhaseProgress[] {
  return [...phases.filter((p) => p.iteration !== phase.iteration), phase].sort((a, b) => a.iteration - b.iteration);
}

/** The phases under way after `event`, oldest iteration first (the same array when the event changes none). */
export function phasesAfter(phases: PhaseProgress[], event: RunEvent): PhaseProgress[] {
  switch (event.type) {
    case 'run.state':
      // A session starts afresh (the journal of a crashed one still says running); an ended one has nothing under way.
      return event.status === 'stopping' ? phases : [];
    case 'phase.started':
      return withPhase(phases, { iteration: event.iteration, phase: event.phase, done: 0, total: event.total, eta_seconds: null, rates: {} });
    case 'phase.progress':
      return withPhase(phases, event.progress);
    case 'phase.completed':
      return phases.filter((p) => p.iteration !== event.iteration || p.phase !== event.phase);
    case 'iteration.completed':
      return phases.filter((p) => p.iteration !== event.stats.iteration);
    default:
      return phases;
  }
}

/** A journaled config, with the defaults of settings added since the run was created (its game's, where it has them). */
function withLaterDefaults(config: LoopConfig): LoopConfig {
  return { ...defaultConfig(config.game, config.name), ...config };
}

/** The arrays of the state each event changes: the pure apply copies these, and shares the rest. */
const CHANGES: { [T in RunEvent['type']]: readonly (keyof RunState)[] } = {
  'run.created': [],
  'run.state': ['phases'],
  'iteration.started': ['loss', 'rated'],
  'phase.started': ['phases'],
  'phase.progress': ['phases'],
  'phase.completed': ['phases'],
  'train.progress': ['loss'],
  'iteration.completed': ['iterations', 'phases'],
  'eval.completed': ['evaluations'],
  'games.rated': ['rated'],
  'config.changed': ['config_changes'],
  'best.changed': [],
  'files.deleted': ['recent_deletions'],
  'run.error': [],
  'log.lines': [],
  notice: [],
  'match.updated': [],
  'ratings.fitted': [],
  'slurm.job': [],
};

/** Apply one event. Pure: returns a new state; the arrays the event changes are copied, the rest shared. */
export function applyRunEvent(state: RunState, event: RunEvent): RunState {
  if (event.type === 'log.lines' || event.type === 'notice' || event.type === 'match.updated' || event.type === 'ratings.fitted' || event.type === 'slurm.job') return state;
  const s: RunState = { ...state };
  for (const key of CHANGES[event.type]) (s as unknown as Record<string, unknown[]>)[key] = [...(state[key] as unknown[])];
  applyInPlace(s, event);
  return s;
}

/**
 * The journal's fold: events applied in place to one state, each in constant time but for a redone
 * iteration, so a run of 20,000 iterations folds in seconds (applying events one by one, copying
 * arrays each time, would take hours).
 */
export function foldRunEvents(name: string, events: readonly RunEvent[]): RunState {
  const state = emptyRunState(name);
  for (const event of events) applyInPlace(state, event);
  return state;
}

/** `item` in place of its iteration's entry, or added in iteration order (mostly at the end). */
function upsertByIteration<T extends { iteration: number }>(list: T[], item: T): void {
  const last = list[list.length - 1];
  if (!last || last.iteration < item.iteration) {
    list.push(item);
    return;
  }
  const at = list.findIndex((x) => x.iteration >= item.iteration);
  if (list[at]!.iteration === item.iteration) list[at] = item;
  else list.splice(at, 0, item);
}

/** Applies an event to a state the caller owns, changing its arrays in place. */
function applyInPlace(s: RunState, event: RunEvent): void {
  // ISO times compare as strings (Math.max would turn them into NaN).
  if (event.time > s.updated_at) s.updated_at = event.time;
  switch (event.type) {
    case 'run.created':
      s.config = withLaterDefaults(event.config);
      s.created_at = event.time;
      s.parent = event.parent ?? null;
      s.game = event.game ?? legacyDeclaration(event.config.game);
      s.provenance = event.provenance ?? null;
      s.experiment = event.experiment ?? null;
      return;
    case 'run.state':
      s.status = event.status;
      if (event.status === 'stopping') return;
      s.phases = phasesAfter(s.phases, event);
      s.current_iteration = null;
      if (event.status === 'running') s.error = null;
      return;
    case 'iteration.started': {
      s.current_iteration = event.iteration;
      // A redone iteration drops its partial loss points, and the games its discarded model played.
      if (s.loss.length && s.loss[s.loss.length - 1]!.iteration >= event.iteration) s.loss = s.loss.filter((p) => p.iteration < event.iteration);
      if (s.rated_through >= event.iteration) {
        s.rated = s.rated.filter((g) => !fromIterationOn(g, event.iteration));
        s.rated_through = s.rated.reduce((newest, g) => Math.max(newest, ratedIteration(g)), 0);
      }
      return;
    }
    case 'phase.started':
    case 'phase.progress':
    case 'phase.completed':
      s.phases = phasesAfter(s.phases, event);
      return;
    case 'train.progress':
      s.loss.push(event.point);
      return;
    case 'iteration.completed':
      upsertByIteration(s.iterations, event.stats);
      if (s.current_iteration === event.stats.iteration) s.current_iteration = null;
      s.phases = phasesAfter(s.phases, event);
      return;
    case 'eval.completed':
      upsertByIteration(s.evaluations, event.record);
      return;
    case 'games.rated':
      s.rated.push(event.games);
      s.rated_through = Math.max(s.rated_through, ratedIteration(event.games));
      return;
    case 'config.changed': {
      if (!s.config) return;
      const config = { ...s.config };
      for (const [key, change] of Object.entries(event.changes)) (config as Record<string, unknown>)[key] = change!.to;
      s.config = config;
      s.config_changes.push({ time: event.time, by: event.by, from_iteration: event.from_iteration, changes: event.changes });
      return;
    }
    case 'best.changed':
      s.best = withBestChange(s.best, event);
      return;
    case 'run.error':
      s.error = event.error;
      return;
    case 'files.deleted':
      s.deleted_bytes += event.bytes;
      s.recent_deletions.push({ iteration: event.iteration, bytes: event.bytes });
      if (s.recent_deletions.length > RECENT_DELETIONS) s.recent_deletions.shift();
      return;
    case 'log.lines':
    case 'notice':
    case 'match.updated':
    case 'ratings.fitted':
    case 'slurm.job':
      return;
  }
}

/** A run's view from its state and summary, and what only the process that serves it knows. */
export function runView(state: RunState, summary: RunSummary, live: Pick<RunView, 'logs' | 'pending_best_change' | 'matches'>): RunView {
  if (!state.config) throw new Error(`run "${state.name}" has no run.created event`);
  const working = summary.status === 'running' || summary.status === 'stopping';
  return {
    summary,
    state: { ...state, config: state.config, status: summary.status, phases: working ? state.phases : [], current_iteration: working ? state.current_iteration : null },
    ...live,
  };
}

/** The Runs list's line for a run. `status` overrides the journal's (e.g. a run whose process died shows as stopped). */
export function runSummary(state: RunState, status?: RunSummary['status']): RunSummary {
  const last = state.iterations[state.iterations.length - 1];
  const lastEval = state.evaluations[state.evaluations.length - 1];
  return {
    name: state.name,
    game: state.config?.game ?? 'tictactoe',
    status: status ?? state.status,
    iterations_done: state.iterations.length + state.omitted.iterations,
    iterations_target: state.config?.iterations ?? 0,
    minutes_done: iterationMinutes(state.iterations) + state.omitted.seconds / 60,
    time_budget_minutes: state.config?.timeBudgetMinutes ?? 0,
    best_iteration: state.best?.iteration ?? null,
    last_vs_best: lastEval?.vs_champion?.score ?? null,
    last_vs_random: lastEval?.vs_random?.win_rate ?? null,
    created_at: state.created_at,
    ...(state.parent ? { parent: state.parent } : {}),
    ...(state.experiment ? { experiment: state.experiment } : {}),
    updated_at: last?.timestamp && last.timestamp > state.updated_at ? last.timestamp : state.updated_at,
  };
}

/**
 * Records persisted in the run directory's JSON projections. Field names are
 * snake_case like the original Python orchestrator's files, so existing
 * dashboards keep reading them.
 */
import type { GameKind } from './gameRecords';
import type { WinDrawLoss } from './matches';
import type { AccuracyScore } from './positions';

export type PhaseName = 'selfplay' | 'train' | 'eval';

/** Bytes an iteration's phases wrote: replay, model and checkpoint, game records and logs. */
export type PhaseBytes = Record<PhaseName, number>;
export type RunStatus = 'idle' | 'running' | 'stopping' | 'stopped' | 'completed' | 'failed';

/** One completed iteration (loop_stats.json `iterations[]`). */
export interface IterationStats {
  iteration: number;
  episodes: number;
  transitions: number;
  steps: number;
  sims: number;
  actor_time: number;
  trainer_time: number;
  eval_time: number;
  total_time: number;
  /** Score-free rates against the best model; null when not evaluated this iteration. */
  eval_win_rate: number | null;
  eval_draw_rate: number | null;
  vs_random_win_rate: number | null;
  final_loss: number | null;
  promoted: boolean;
  timestamp: string;
  /** What the iteration wrote to disk, by phase (absent in runs made before it was measured). */
  bytes_written?: PhaseBytes;
}

export interface MatchResult {
  wins: number;
  draws: number;
  losses: number;
  games: number;
  win_rate: number;
  draw_rate: number;
  /** (wins + draws/2) / games */
  score: number;
}

/**
 * One match between two rated players, results from a's side split by who
 * moved first: the input of the ratings fit, journaled as `games.rated`.
 */
export interface RatedGames {
  /** Iteration whose evaluation played it; null for a head-to-head match. */
  iteration: number | null;
  kind: GameKind;
  /** Player ids: "iter-0003", "random", "alphabeta-4". */
  a: string;
  b: string;
  a_first: WinDrawLoss;
  b_first: WinDrawLoss;
  /** The games' records, relative to the run folder, when kept. */
  file?: string;
}

/** What the ladder step of an evaluation played, and what it could not. */
export interface LadderSummary {
  played: { opponent: string; games: number; score: number }[];
  skipped: { opponent: string; reason: string }[];
}

/** One evaluation (eval_stats.json `evaluations[]`). */
export interface EvalRecord {
  iteration: number;
  step: number;
  /** The best model the candidate played; null for a run's first model. */
  vs_champion_iteration: number | null;
  vs_champion: MatchResult | null;
  vs_random: MatchResult | null;
  gate_threshold: number;
  promoted: boolean;
  promotion_reason: string;
  /** Perfect-play accuracy on the game's position set; null when the game has none or the engine could not answer. */
  accuracy?: AccuracyScore | null;
  /** Why accuracy is missing when the game has a position set. */
  accuracy_error?: string;
  ladder?: LadderSummary | null;
  /** Mean moves per game of the match against the best (else against random), when the arena reported moves. */
  avg_game_length?: number;
  seconds: number;
  timestamp: string;
}

export type BestReason = 'initial' | 'gate' | 'manual' | 'revert';

export interface BestModelEntry {
  iteration: number;
  promoted_at: string;
  reason: BestReason;
  /** Who made the change: "orchestrator" for the gate, else the user and the surface (e.g. "alice@cli"). */
  by: string;
  /** Gate score that promoted it, when the gate did. */
  score: number | null;
  note: string;
}

/** best_model.json: the current best plus the whole audit trail, oldest first. */
export interface BestModelInfo extends BestModelEntry {
  model_path: string;
  history: BestModelEntry[];
}

export interface LossPoint {
  iteration: number;
  step: number;
  loss: number;
  /** null when the trainer does not report it (a chart then draws no line, not one at 0). */
  policy_loss: number | null;
  value_loss: number | null;
  lr: number | null;
  samples_per_sec: number | null;
  timestamp: string;
}

export interface PhaseProgress {
  iteration: number;
  phase: PhaseName;
  done: number;
  total: number;
  /** Seconds left in this phase, estimated from its rate so far; null until known. */
  eta_seconds: number | null;
  rates: Throughput;
}

export interface Throughput {
  games_per_sec?: number;
  positions_per_sec?: number;
  samples_per_sec?: number;
}

export interface RunError {
  message: string;
  /** e.g. "actor-2", "trainer", "arena". */
  process?: string;
  exit_code?: number | null;
  log_tail?: string[];
}

/** What listRuns shows per run. */
export interface RunSummary {
  name: string;
  game: string;
  status: RunStatus;
  iterations_done: number;
  iterations_target: number;
  /** Minutes of iteration time over all sessions, against the time budget (0: none). */
  minutes_done: number;
  time_budget_minutes: number;
  best_iteration: number | null;
  last_vs_best: number | null;
  last_vs_random: number | null;
  created_at: string;
  updated_at: string;
  /** The run and iteration this run was branched from, if it was. */
  parent?: RunParent;
  /** The experiment the run is a cell of, if it is. */
  experiment?: RunExperiment;
}

/** A run's place in an experiment (loopdeck experiment): its cell (1 is the base) and which of the cell's seeds it is. */
export interface RunExperiment {
  name: string;
  cell: number;
  /** The cell's settings: "learningRate 0.001, replayWindow 4", or "the base". */
  label: string;
  seed_index: number;
}

/** Where a branch comes from: its starting model (its iteration 0) is the parent's model of `iteration`. */
export interface RunParent {
  run: string;
  iteration: number;
  /** Trainer steps of the parent up to that iteration: the branch's learning-rate schedule continues from there. */
  steps: number;
}

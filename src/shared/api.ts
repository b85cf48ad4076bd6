/**
 * The control API, declared once. Electron IPC (preload bridge), the
 * WebSocket server of `loopdeck serve` and the renderer's clients all type
 * against LoopdeckApi and RunEvent.
 */
import type { ConfigChanges } from './config/changes';
import type { ConfigError, ValidationResult } from './config/validate';
import type { LoopConfigInput } from './config/fields';
import type { RunEvent } from './events';
import type { GamesChunk, GamesFile } from './gameRecords';
import type { MatchRequest, MatchState } from './matches';
import type { DiskUsage } from './diskUsage';
import type { BestmoveReply, BoardLine, GameDeclaration } from './protocol';
import type { ExperimentSpec, ExperimentStatus } from './experiments/plan';
import type { ScaleState } from './experiments/scale';
import type { PlayerRating } from './ratings';
import type { BestModelInfo, EvalRecord, IterationStats, RunSummary } from './stats';
import type { RunSnapshot } from './runState';

export interface LogChunk {
  lines: string[];
  /** Byte offset to pass to the next readLog call. */
  next_offset: number;
  /** File size in bytes when read. */
  size: number;
}

export interface LoopdeckApi {
  /** The folder whose runs this API serves (absolute): the CLI's and the app's default is ./runs of where they start, or LOOPDECK_RUNS_DIR. */
  runsFolder(): Promise<string>;
  listRuns(): Promise<RunSummary[]>;
  /** What a window holds of the run: a long run's history bounded (history.ts), with the rating fit of its players. */
  getRun(name: string): Promise<RunSnapshot>;
  /**
   * The records of iterations `from` to `to` whole, with their models' ratings: what a window's
   * bounded history left out, on demand (at most MAX_ITERATIONS_ASKED at a time).
   */
  getIterations(name: string, from: number, to: number): Promise<IterationRecords>;
  /** The run folder's size and growth, and the free space of its disk (the panel polls it). */
  diskUsage(name: string): Promise<DiskUsage>;
  startRun(config: LoopConfigInput): Promise<RunSummary>;
  resumeRun(name: string): Promise<RunSummary>;
  stopRun(name: string): Promise<RunSummary>;
  /**
   * Makes `iteration` the best model. `seenBest` is the best model's iteration the user saw when
   * confirming (null: none yet); if the best has changed since (a gate promotion, another user),
   * nothing changes and the call fails with code "conflict", saying what the best is now and why.
   */
  promote(name: string, iteration: number, seenBest: number | null): Promise<BestModelInfo>;
  /** Goes back to the best model before the current one, bound to the best the user saw like promote. */
  revert(name: string, seenBest: number | null): Promise<BestModelInfo>;
  readLog(name: string, iteration: number, process: string, offset: number): Promise<LogChunk>;
  validateConfig(config: LoopConfigInput): Promise<ValidationResult>;
  /** The games files an iteration kept (games/iter-NNNN/). */
  listGames(name: string, iteration: number): Promise<GamesFile[]>;
  /** The records of one games file; lines that are not records are named and skipped. */
  readGames(name: string, iteration: number, file: string): Promise<GamesChunk>;
  /**
   * What the run's engine says of each position (the game's notation): its board, whose turn, the
   * legal moves and the result, or `{position, error}` for one the engine refuses. The panel draws
   * every position it shows from these, so it needs no rules of its own.
   */
  showPositions(name: string, positions: string[]): Promise<BoardLine[]>;
  /** The games an engine offers (protocol `games`): the bundled engine's for null. */
  engineGames(actorCommand: string[] | null): Promise<GameDeclaration[]>;
  /** The move of an iteration's model in a position (move-sequence notation), searched with `sims` simulations. */
  bestMove(name: string, iteration: number, position: string, sims: number): Promise<BestmoveReply>;
  /** Starts a head-to-head match; its progress comes as match.updated events and its games feed the ratings. */
  startMatch(name: string, request: MatchRequest): Promise<MatchState>;
  stopMatch(name: string, id: string): Promise<MatchState>;
  /** Changes settings of a run (any state): from its next iteration when it runs; fixed settings are refused. */
  changeSettings(name: string, changes: LoopConfigInput): Promise<SettingsChange>;
  /** The experiments of the runs folder (started here or by the CLI), and whether this server is working through each. */
  listExperiments(): Promise<ExperimentStatus[]>;
  /**
   * Starts an experiment: its cells x seeds queue `parallel` at a time on this machine. Started again
   * with the same base and grid and more seeds, it extends; a bad grid is refused naming the cell and field.
   */
  startExperiment(spec: ExperimentSpec): Promise<ExperimentStatus>;
  /** Stops an experiment's running runs gracefully; the rest stay queued for resumeExperiment. */
  stopExperiment(name: string): Promise<ExperimentStatus>;
  /** Goes on with an experiment: runs at their limit are kept, stopped ones resume, the rest start. */
  resumeExperiment(name: string): Promise<ExperimentStatus>;
  /**
   * Puts runs of one game on one rating scale: their best models play each other and the reference
   * players, `games` a match, in the background; getScale answers the fit of the games played so far.
   */
  startScale(name: string, runs: string[], games: number): Promise<ScaleState>;
  getScale(name: string): Promise<ScaleState>;
  /** Branches a run at one of its iterations into a new run, and starts it. */
  forkRun(name: string, iteration: number, request: ForkRunRequest): Promise<RunSummary>;
}

/** Iterations a window asked for, whole (getIterations). */
export interface IterationRecords {
  iterations: IterationStats[];
  evaluations: EvalRecord[];
  /** Their models' ratings in the run's fit of every rated game. */
  ratings: PlayerRating[];
}

/** Most iterations one getIterations call may ask for. */
export const MAX_ITERATIONS_ASKED = 500;

export interface ForkRunRequest {
  /** The branch's name. */
  name: string;
  /** Copy the parent's replay window ending at the iteration. */
  with_replay: boolean;
  /** Settings that differ from the parent's. */
  changes: LoopConfigInput;
}

/** What a change of settings did. */
export interface SettingsChange {
  changes: ConfigChanges;
  /** The first iteration that uses the new settings. */
  from_iteration: number;
  /** Whether they wait for the running iteration to end. */
  pending: boolean;
}

/** Most positions one showPositions call may ask: a long game's every ply, several times over. */
export const MAX_POSITIONS = 5_000;

export type ApiMethod = keyof LoopdeckApi;

export const API_METHODS = [
  'runsFolder',
  'listRuns',
  'getRun',
  'getIterations',
  'diskUsage',
  'startRun',
  'resumeRun',
  'stopRun',
  'promote',
  'revert',
  'readLog',
  'validateConfig',
  'listGames',
  'readGames',
  'showPositions',
  'engineGames',
  'bestMove',
  'startMatch',
  'stopMatch',
  'changeSettings',
  'forkRun',
  'listExperiments',
  'startExperiment',
  'stopExperiment',
  'resumeExperiment',
  'startScale',
  'getScale',
] as const satisfies readonly ApiMethod[];

export type ApiArgs<M extends ApiMethod> = Parameters<LoopdeckApi[M]>;
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<LoopdeckApi[M]>>;

/** A client: the API plus the pushed events. One implementation per transport. */
export interface LoopdeckClient extends LoopdeckApi {
  onEvent(listener: (event: RunEvent) => void): () => void;
}

export type ApiErrorCode = 'bad_request' | 'invalid_config' | 'not_found' | 'conflict' | 'internal';

/** The error shape every transport carries back unchanged. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  errors?: ConfigError[];
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly errors?: ConfigError[];
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    if (body.errors) this.errors = body.errors;
  }
  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.errors ? { errors: this.errors } : {}) };
  }
  static fromUnknown(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    if (
      error &&
      typeof error === 'object' &&
      'code' in error &&
      'message' in error &&
      typeof (error as ApiErrorBody).code === 'string' &&
      ['bad_request', 'invalid_config', 'not_found', 'conflict', 'internal'].includes((error as ApiErrorBody).code)
    )
      return new ApiError(error as ApiErrorBody);
    return new ApiError({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Frames on the WebSocket of `loopdeck serve`. The first client frame must be
 * `auth` with the serve token; the server answers `ready`, or closes the socket
 * with AUTH_FAILED_CLOSE_CODE.
 */
export type ClientFrame = { kind: 'auth'; token: string } | { id: number; method: ApiMethod; args: unknown[] };
export type ServerFrame =
  | { kind: 'ready' }
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: ApiErrorBody }
  | { kind: 'event'; event: RunEvent };

/** WebSocket close code: the token was missing or wrong (do not reconnect with it). */
export const AUTH_FAILED_CLOSE_CODE = 4401;

/** One generic call: a method name and its arguments in, its result out. */
export type ApiCall = <M extends ApiMethod>(method: M, ...args: ApiArgs<M>) => Promise<ApiResult<M>>;

/** The API's methods over one generic call, for transports that send a method name and arguments. */
export function apiOverCall(call: ApiCall): LoopdeckApi {
  return {
    runsFolder: () => call('runsFolder'),
    listRuns: () => call('listRuns'),
    getRun: (name) => call('getRun', name),
    getIterations: (name, from, to) => call('getIterations', name, from, to),
    listExperiments: () => call('listExperiments'),
    startExperiment: (spec) => call('startExperiment', spec),
    stopExperiment: (name) => call('stopExperiment', name),
    resumeExperiment: (name) => call('resumeExperiment', name),
    startScale: (name, runs, games) => call('startScale', name, runs, games),
    getScale: (name) => call('getScale', name),
    diskUsage: (name) => call('diskUsage', name),
    startRun: (config) => call('startRun', config),
    resumeRun: (name) => call('resumeRun', name),
    stopRun: (name) => call('stopRun', name),
    promote: (name, iteration, seenBest) => call('promote', name, iteration, seenBest),
    revert: (name, seenBest) => call('revert', name, seenBest),
    readLog: (name, iteration, process, offset) => call('readLog', name, iteration, process, offset),
    validateConfig: (config) => call('validateConfig', config),
    listGames: (name, iteration) => call('listGames', name, iteration),
    readGames: (name, iteration, file) => call('readGames', name, iteration, file),
    showPositions: (name, positions) => call('showPositions', name, positions),
    engineGames: (actorCommand) => call('engineGames', actorCommand),
    bestMove: (name, iteration, position, sims) => call('bestMove', name, iteration, position, sims),
    startMatch: (name, request) => call('startMatch', name, request),
    stopMatch: (name, id) => call('stopMatch', name, id),
    changeSettings: (name, changes) => call('changeSettings', name, changes),
    forkRun: (name, iteration, request) => call('forkRun', name, iteration, request),
  };
}

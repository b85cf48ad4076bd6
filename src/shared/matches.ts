/**
 * Head-to-head matches between two players of a run: a fixed number of
 * games, or until a sequential probability ratio test decides. The score and
 * its interval are computed the same way live (renderer) and at the end
 * (orchestrator).
 */
/** Games from one player's side. */
export interface WinDrawLoss {
  wins: number;
  draws: number;
  losses: number;
}

export interface SprtSettings {
  /** Elo difference of the null hypothesis (a is no stronger). */
  elo0: number;
  /** Elo difference of the alternative (a is stronger by this much). */
  elo1: number;
  alpha: number;
  beta: number;
}

export const DEFAULT_SPRT: SprtSettings = { elo0: 0, elo1: 40, alpha: 0.05, beta: 0.05 };

export interface MatchRequest {
  /** Player ids: "iter-0012", "random", "alphabeta-4". */
  a: string;
  b: string;
  /** Games to play; with a sequential test, the most it may play. */
  games: number;
  sprt: SprtSettings | null;
}

export type MatchStatus = 'running' | 'completed' | 'stopped' | 'failed';

export interface MatchState {
  id: string;
  run: string;
  request: MatchRequest;
  status: MatchStatus;
  /** From a's side, split by who moved first. */
  a_first: WinDrawLoss;
  b_first: WinDrawLoss;
  started_at: string;
  /** The test's verdict once it decides: a is stronger (H1) or not (H0). */
  decision: 'H0' | 'H1' | null;
  error?: string;
}

export interface ScoreSummary {
  games: number;
  /** (wins + draws/2) / games, from a's side. */
  score: number;
  /** 95% interval of the score. */
  low: number;
  high: number;
  /** The score as an Elo difference, with its interval; null until there are games. */
  elo: number | null;
  elo_low: number | null;
  elo_high: number | null;
}

const Z95 = 1.959964;

export function totals(a_first: WinDrawLoss, b_first: WinDrawLoss): WinDrawLoss {
  return { wins: a_first.wins + b_first.wins, draws: a_first.draws + b_first.draws, losses: a_first.losses + b_first.losses };
}

/** Elo difference for an expected score (clamped away from 0 and 1). */
export function eloOfScore(score: number): number {
  const s = Math.min(Math.max(score, 1e-4), 1 - 1e-4);
  return -400 * Math.log10(1 / s - 1);
}

function scoreOfElo(elo: number): number {
  return 1 / (1 + 10 ** (-elo / 400));
}

/** Score with a 95% interval from the games' own variance (trinomial: draws narrow it). */
export function scoreSummary(wdl: WinDrawLoss): ScoreSummary {
  const games = wdl.wins + wdl.draws + wdl.losses;
  if (games === 0) return { games: 0, score: 0.5, low: 0, high: 1, elo: null, elo_low: null, elo_high: null };
  const w = wdl.wins / games;
  const d = wdl.draws / games;
  const score = w + d / 2;
  const variance = w + d / 4 - score * score;
  const half = Z95 * Math.sqrt(Math.max(variance, 0) / games);
  const low = Math.max(0, score - half);
  const high = Math.min(1, score + half);
  return { games, score, low, high, elo: eloOfScore(score), elo_low: eloOfScore(low), elo_high: eloOfScore(high) };
}

export interface SprtState {
  llr: number;
  lower: number;
  upper: number;
  decision: 'H0' | 'H1' | null;
}

/**
 * The generalised SPRT on the score (the normal approximation fishtest uses):
 * LLR = n (s1 - s0)(2 mean - s0 - s1) / (2 variance), bounds from alpha and
 * beta. The frequencies carry one virtual win and one virtual loss, so a
 * few unanimous games (variance 0, all wins or all draws) cannot decide a
 * test on their own.
 */
export function sprt(wdl: WinDrawLoss, settings: SprtSettings): SprtState {
  const lower = Math.log(settings.beta / (1 - settings.alpha));
  const upper = Math.log((1 - settings.beta) / settings.alpha);
  const games = wdl.wins + wdl.draws + wdl.losses;
  if (games === 0) return { llr: 0, lower, upper, decision: null };
  const n = games + 2;
  const w = (wdl.wins + 1) / n;
  const d = wdl.draws / n;
  const mean = w + d / 2;
  const variance = Math.max(w + d / 4 - mean * mean, 1e-6);
  const s0 = scoreOfElo(settings.elo0);
  const s1 = scoreOfElo(settings.elo1);
  const llr = (games * (s1 - s0) * (2 * mean - s0 - s1)) / (2 * variance);
  return { llr, lower, upper, decision: llr >= upper ? 'H1' : llr <= lower ? 'H0' : null };
}

/** Checks a match request: named fields and the fix. */
export function matchRequestProblem(request: MatchRequest, known: (id: string) => boolean): string | null {
  if (request.a === request.b) return 'a match needs two different players';
  for (const side of ['a', 'b'] as const) if (!known(request[side])) return `player ${side} (${JSON.stringify(request[side]).slice(0, 60)}) is not a model of this run or a reference player`;
  if (!Number.isInteger(request.games) || request.games < 2 || request.games > 10_000) return `games must be a whole number from 2 to 10000 (got ${request.games})`;
  const s = request.sprt;
  if (s) {
    if (!(s.elo1 > s.elo0)) return `the test's elo1 (${s.elo1}) must be above elo0 (${s.elo0})`;
    if (!(s.alpha > 0 && s.alpha < 0.5 && s.beta > 0 && s.beta < 0.5)) return "the test's alpha and beta must be between 0 and 0.5";
  }
  return null;
}

/**
 * A run's ratings: the Bradley-Terry fit (ratings.ts) over its rated matches,
 * and the ratings.json projection. The orchestrator and the renderer compute
 * them the same way from the same RunState.
 */
import { parsePlayerId } from './players';
import { ANCHOR_PLAYER, fitRatings, type PairResult, type RatingFit } from './ratings';
import type { RatedGames } from './stats';

/** Rated matches as the fit's input: one entry per (first mover, second mover). */
export function pairResults(rated: readonly RatedGames[]): PairResult[] {
  const out: PairResult[] = [];
  for (const g of rated) {
    out.push({ first: g.a, second: g.b, ...g.a_first });
    // With b first, b's wins are a's losses.
    out.push({ first: g.b, second: g.a, wins: g.b_first.losses, draws: g.b_first.draws, losses: g.b_first.wins });
  }
  return out;
}

const fits = new WeakMap<readonly RatedGames[], RatingFit>();

/** The fit of a run's rated matches; the fold makes a new array on every change, so a fit is computed once per change. */
export function fitRunRatings(rated: readonly RatedGames[]): RatingFit {
  let fit = fits.get(rated);
  if (!fit) {
    fit = fitRatings(pairResults(rated), ANCHOR_PLAYER);
    fits.set(rated, fit);
  }
  return fit;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** ratings.json */
export interface RatingsProjection {
  anchor: string;
  updated: string;
  first_move_elo: number;
  games: number;
  players: { id: string; iteration?: number; elo: number; elo_low: number; elo_high: number; games: number }[];
  /** Players with no chain of games to the anchor, left unrated. */
  disconnected: string[];
}

export function ratingsProjection(fit: RatingFit, updated: string): RatingsProjection {
  return {
    anchor: fit.anchor,
    updated,
    first_move_elo: round1(fit.first_move_elo),
    games: fit.games,
    players: fit.players.map((p) => {
      const ref = parsePlayerId(p.id);
      return { id: p.id, ...(ref?.kind === 'model' ? { iteration: ref.iteration } : {}), elo: round1(p.elo), elo_low: round1(p.elo_low), elo_high: round1(p.elo_high), games: p.games };
    }),
    disconnected: fit.disconnected,
  };
}

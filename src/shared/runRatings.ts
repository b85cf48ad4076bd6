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
/** The last fit made, the warm start of the next: a run's rated games grow by a few matches between fits. */
let last: { rated: readonly RatedGames[]; fit: RatingFit } | null = null;

/**
 * The fit of a run's rated matches; the fold makes a new array on every change, so a fit is computed
 * once per change, starting from the previous fit when the new games extend the ones it fitted.
 */
export function fitRunRatings(rated: readonly RatedGames[]): RatingFit {
  let fit = fits.get(rated);
  if (!fit) {
    const extends_ = last !== null && last.rated.length <= rated.length && last.rated.length > 0 && last.rated[0] === rated[0];
    fit = fitRatings(pairResults(rated), ANCHOR_PLAYER, extends_ ? last!.fit : undefined);
    fits.set(rated, fit);
    last = { rated, fit };
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

/**
 * The rating fit as a worker runs it, off the orchestrator's event loop: rated matches arrive as
 * they are played, each fit starts from the last one, and the fit crosses back as plain data. For a
 * window, the fit is bounded like its history (history.ts): the kept iterations' models, every other
 * player, and the covariance of each pair of them that met (the pairs the panel compares: a candidate
 * and the best it played); for a pair that never met it is taken as 0, which widens their
 * difference's interval rather than narrowing it.
 */
import { type KeptIterations, keeps } from './keptIterations';
import { parsePlayerId } from './players';
import { ANCHOR_PLAYER, fitRatings, type PlayerRating, type RatingFit } from './ratings';
import { pairResults } from './runRatings';
import type { RatedGames } from './stats';

export interface PortableFit {
  anchor: string;
  players: PlayerRating[];
  disconnected: string[];
  first_move_elo: number;
  games: number;
  /** Pairs that met: the two players' ids and their covariance in Elo². */
  met: { a: string[]; b: string[]; covariance: number[] };
}

/** What the orchestrator sends the worker: the matches played since, or all of them anew. */
export interface FitRequest {
  reset: boolean;
  append: RatedGames[];
  /**
   * Whose ratings come back: every player's without pairs (the orchestrator's own use: the ladder and
   * ratings.json), or a window's kept players with the covariances of the pairs among them that met.
   */
  kept: KeptIterations | null;
}

export class IncrementalRatingFitter {
  private games: RatedGames[] = [];
  private last: RatingFit | undefined;
  /** Whether `last` is the fit of every game received (a second request without new games refits nothing). */
  private current = false;

  apply(request: FitRequest): void {
    if (request.reset) {
      this.games = [];
      this.last = undefined;
    }
    if (request.reset || request.append.length) this.current = false;
    for (const g of request.append) this.games.push(g);
  }

  fit(kept: KeptIterations | null): PortableFit {
    if (!this.current || !this.last) {
      this.last = fitRatings(pairResults(this.games), ANCHOR_PLAYER, this.last);
      this.current = true;
    }
    return portableFit(this.last, this.games, kept);
  }
}

/** Whether a window that keeps `kept` shows player `id`: every model of a kept iteration, and every player not a model. */
function keptPlayer(kept: KeptIterations, id: string): boolean {
  const player = parsePlayerId(id);
  return player?.kind !== 'model' || keeps(kept, player.iteration);
}

export function portableFit(fit: RatingFit, games: readonly RatedGames[], kept: KeptIterations | null): PortableFit {
  const met: PortableFit['met'] = { a: [], b: [], covariance: [] };
  const base = { anchor: fit.anchor, disconnected: fit.disconnected, first_move_elo: fit.first_move_elo, games: fit.games };
  if (!kept) return { ...base, players: fit.players, met };
  const seen = new Set<string>();
  for (const g of games) {
    const key = g.a < g.b ? `${g.a}\n${g.b}` : `${g.b}\n${g.a}`;
    if (g.a === g.b || seen.has(key)) continue;
    seen.add(key);
    if (!keptPlayer(kept, g.a) || !keptPlayer(kept, g.b)) continue;
    met.a.push(g.a);
    met.b.push(g.b);
    met.covariance.push(fit.covariance(g.a, g.b));
  }
  return { ...base, players: fit.players.filter((p) => keptPlayer(kept, p.id)), met };
}

/** The fit a portable one stands for; no fit (a run with no rated games yet) rates nobody. */
export function fromPortable(p: PortableFit | null): RatingFit {
  if (!p) return EMPTY_FIT;
  const covariances = new Map<string, number>();
  for (let i = 0; i < p.met.a.length; i++) {
    covariances.set(`${p.met.a[i]}\n${p.met.b[i]}`, p.met.covariance[i]!);
    covariances.set(`${p.met.b[i]}\n${p.met.a[i]}`, p.met.covariance[i]!);
  }
  const sigma = new Map(p.players.map((r) => [r.id, r.sigma]));
  return {
    anchor: p.anchor,
    players: p.players,
    disconnected: p.disconnected,
    first_move_elo: p.first_move_elo,
    games: p.games,
    covariance: (a, b) => (a === b ? (sigma.get(a) ?? 0) ** 2 : (covariances.get(`${a}\n${b}`) ?? 0)),
  };
}

/** The request that brings a worker holding `sent` up to `next`: the new matches only, when `next` extends `sent`. */
export function fitRequest(sent: readonly RatedGames[] | null, next: readonly RatedGames[], kept: KeptIterations | null): FitRequest {
  const extendsSent = sent !== null && sent.length > 0 && next.length >= sent.length && next[0] === sent[0] && next[sent.length - 1] === sent[sent.length - 1];
  return extendsSent ? { reset: false, append: next.slice(sent.length), kept } : { reset: true, append: [...next], kept };
}

export const EMPTY_FIT: RatingFit = { anchor: ANCHOR_PLAYER, players: [], disconnected: [], first_move_elo: 0, games: 0, covariance: () => 0 };

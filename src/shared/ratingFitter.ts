/**
 * The rating fit as a worker runs it, off the orchestrator's event loop and the page's thread:
 * rated matches arrive as they are played, each fit starts from the last one, and the fit crosses
 * back as plain data. A fit's covariance of two players is carried for every pair that met (the
 * pairs the panel compares: a candidate and the best it played); for a pair that never met it is
 * taken as 0, which widens their difference's interval rather than narrowing it.
 */
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

/** What a page or the orchestrator sends the worker: the matches played since, or all of them anew. */
export interface FitRequest {
  reset: boolean;
  append: RatedGames[];
  /** Whether the fit comes back with the covariances of the pairs that met (the orchestrator needs none: less to copy). */
  pairs: boolean;
}

export class IncrementalRatingFitter {
  private games: RatedGames[] = [];
  private last: RatingFit | undefined;

  private pairs = true;

  apply(request: FitRequest): void {
    this.pairs = request.pairs;
    if (request.reset) {
      this.games = [];
      this.last = undefined;
    }
    for (const g of request.append) this.games.push(g);
  }

  fit(): PortableFit {
    const fit = fitRatings(pairResults(this.games), ANCHOR_PLAYER, this.last);
    this.last = fit;
    return portableFit(fit, this.pairs ? this.games : []);
  }
}

export function portableFit(fit: RatingFit, games: readonly RatedGames[]): PortableFit {
  const met: PortableFit['met'] = { a: [], b: [], covariance: [] };
  const seen = new Set<string>();
  for (const g of games) {
    const key = g.a < g.b ? `${g.a}\n${g.b}` : `${g.b}\n${g.a}`;
    if (g.a === g.b || seen.has(key)) continue;
    seen.add(key);
    met.a.push(g.a);
    met.b.push(g.b);
    met.covariance.push(fit.covariance(g.a, g.b));
  }
  return { anchor: fit.anchor, players: fit.players, disconnected: fit.disconnected, first_move_elo: fit.first_move_elo, games: fit.games, met };
}

export function fromPortable(p: PortableFit): RatingFit {
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
export function fitRequest(sent: readonly RatedGames[] | null, next: readonly RatedGames[], pairs = true): FitRequest {
  const extendsSent = sent !== null && sent.length > 0 && next.length >= sent.length && next[0] === sent[0] && next[sent.length - 1] === sent[sent.length - 1];
  return extendsSent ? { reset: false, append: next.slice(sent.length), pairs } : { reset: true, append: [...next], pairs };
}

export const EMPTY_FIT: RatingFit = { anchor: ANCHOR_PLAYER, players: [], disconnected: [], first_move_elo: 0, games: 0, covariance: () => 0 };

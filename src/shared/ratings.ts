/**
 * Ratings: a Bradley-Terry maximum-likelihood fit over every rated game of a
 * run, in Elo units, with the uniformly random player anchored at 0.
 *
 * Model: the first player of a game scores with probability
 * sigma(r_first - r_second + h), h being the first-move advantage; a draw
 * counts as half a win and half a loss. A weak prior of PRIOR_DRAWS virtual
 * draws between every pair of players who met (without the first-move term,
 * as BayesElo does) keeps a clean sweep finite: 100-0 reads as a large but
 * finite gap instead of infinity. Intervals are 95% (1.96 sigma) from the
 * inverse of the observed information (the negative Hessian) at the optimum.
 * Players with no chain of games to the anchor are reported, never rated.
 */

import { parsePlayerId } from './players';

export const ANCHOR_PLAYER = 'random';
export const PRIOR_DRAWS = 1;
const ELO_PER_NAT = 400 / Math.LN10;
const Z95 = 1.959964;

/** Games between two players with one of them first: counts from the first player's side. */
export interface PairResult {
  first: string;
  second: string;
  wins: number;
  draws: number;
  losses: number;
}

export interface PlayerRating {
  id: string;
  elo: number;
  elo_low: number;
  elo_high: number;
  /** Standard error in Elo. */
  sigma: number;
  games: number;
}

export interface RatingFit {
  anchor: string;
  players: PlayerRating[];
  /** Players with no chain of games to the anchor: left unrated. */
  disconnected: string[];
  first_move_elo: number;
  games: number;
  /** Covariance of two rated players' Elo (0 for the anchor). */
  covariance(a: string, b: string): number;
}

export interface RatingDifference {
  elo: number;
  low: number;
  high: number;
  /** Whether the 95% interval of the difference excludes zero. */
  significant: boolean;
}

/** Elo of `a` minus Elo of `b`, with the 95% interval of the difference; null when either is unrated. */
export function ratingDifference(fit: RatingFit, a: string, b: string): RatingDifference | null {
  const ra = fit.players.find((p) => p.id === a);
  const rb = fit.players.find((p) => p.id === b);
  if (!ra || !rb) return null;
  const variance = Math.max(0, fit.covariance(a, a) + fit.covariance(b, b) - 2 * fit.covariance(a, b));
  const half = Z95 * Math.sqrt(variance);
  const elo = ra.elo - rb.elo;
  return { elo, low: elo - half, high: elo + half, significant: elo - half > 0 || elo + half < 0 };
}

/** Players reachable from the anchor through games played. */
function connectedToAnchor(pairs: readonly PairResult[], anchor: string): Set<string> {
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string) => (neighbours.get(a) ?? neighbours.set(a, new Set()).get(a)!).add(b);
  for (const p of pairs) {
    if (p.wins + p.draws + p.losses === 0) continue;
    link(p.first, p.second);
    link(p.second, p.first);
  }
  const seen = new Set<string>();
  if (!neighbours.has(anchor)) return seen;
  const queue = [anchor];
  seen.add(anchor);
  while (queue.length) {
    for (const next of neighbours.get(queue.pop()!) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return seen;
}

/**
 * A symmetric positive-definite matrix stored by its envelope: row i keeps
 * columns first[i]..i. Models are ordered by iteration and play only a few
 * iterations back, so rows are short and the Cholesky factor (which keeps the
 * envelope) costs about n times the squared row length instead of n³: a run
 * of 2,000 iterations fits in a fraction of a second.
 */
class EnvelopeMatrix {
  readonly rows: Float64Array[];
  constructor(
    readonly n: number,
    readonly first: Int32Array,
  ) {
    this.rows = Array.from({ length: n }, (_, i) => new Float64Array(i - first[i]! + 1));
  }

  add(i: number, j: number, value: number): void {
    if (i >= j) this.rows[i]![j - this.first[i]!]! += value;
    else this.rows[j]![i - this.first[j]!]! += value;
  }

  /** The Cholesky factor L (A = L Lᵀ) in the same envelope, or null when A is not positive definite. */
  cholesky(): EnvelopeMatrix | null {
    const { n, first } = this;
    const l = new EnvelopeMatrix(n, first);
    for (let i = 0; i < n; i++) {
      const fi = first[i]!;
      const ai = this.rows[i]!;
      const li = l.rows[i]!;
      for (let j = fi; j <= i; j++) {
        const fj = first[j]!;
        const lj = l.rows[j]!;
        let sum = ai[j - fi]!;
        for (let k = Math.max(fi, fj); k < j; k++) sum -= li[k - fi]! * lj[k - fj]!;
        if (j < i) li[j - fi] = sum / lj[j - fj]!;
        else if (sum <= 0) return null;
        else li[i - fi] = Math.sqrt(sum);
      }
    }
    return l;
  }

  /** With this matrix a Cholesky factor L: (A⁻¹)ᵢᵢ = ‖L⁻¹ eᵢ‖², by forward substitution from row i alone. */
  inverseDiagonal(i: number, scratch: Float64Array): number {
    const { n, first, rows } = this;
    let sumSquares = 0;
    for (let r = i; r < n; r++) {
      const fr = first[r]!;
      const lr = rows[r]!;
      let sum = r === i ? 1 : 0;
      for (let k = Math.max(fr, i); k < r; k++) sum -= lr[k - fr]! * scratch[k]!;
      const y = sum / lr[r - fr]!;
      scratch[r] = y;
      sumSquares += y * y;
    }
    return sumSquares;
  }

  /** With this matrix a Cholesky factor L: solves L Lᵀ x = b. */
  solve(b: Float64Array): Float64Array {
    const { n, first, rows } = this;
    const x = Float64Array.from(b);
    for (let i = 0; i < n; i++) {
      const fi = first[i]!;
      const li = rows[i]!;
      let sum = x[i]!;
      for (let k = fi; k < i; k++) sum -= li[k - fi]! * x[k]!;
      x[i] = sum / li[i - fi]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      const fi = first[i]!;
      const li = rows[i]!;
      x[i]! /= li[i - fi]!;
      for (let k = fi; k < i; k++) x[k]! -= li[k - fi]! * x[i]!;
    }
    return x;
  }
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

interface Term {
  i: number; // index of the first player's parameter, -1 for the anchor
  j: number;
  /** Whether the first-move term applies (real games) or not (prior draws). */
  h: boolean;
  games: number;
  score: number;
}

export function fitRatings(results: readonly PairResult[], anchor: string = ANCHOR_PLAYER): RatingFit {
  const connected = connectedToAnchor(results, anchor);
  const everyone = new Set<string>();
  for (const r of results) everyone.add(r.first).add(r.second);
  const disconnected = [...everyone].filter((p) => !connected.has(p)).sort();
  // Models in iteration order, then the other players: the order keeps the information matrix's rows short.
  const iterationOf = (id: string) => {
    const player = parsePlayerId(id);
    return player?.kind === 'model' ? player.iteration : Infinity;
  };
  const rated = [...connected].filter((p) => p !== anchor).sort((a, b) => iterationOf(a) - iterationOf(b) || a.localeCompare(b));
  const index = new Map(rated.map((id, i) => [id, i]));
  const n = rated.length + 1; // ratings, then the first-move advantage
  const hIndex = n - 1;
  const param = (id: string) => (id === anchor ? -1 : index.get(id)!);

  const games = new Map<string, number>();
  const terms: Term[] = [];
  const met = new Set<string>();
  let totalGames = 0;
  for (const r of results) {
    if (!connected.has(r.first) || !connected.has(r.second) || r.first === r.second) continue;
    const count = r.wins + r.draws + r.losses;
    if (count === 0) continue;
    totalGames += count;
    games.set(r.first, (games.get(r.first) ?? 0) + count);
    games.set(r.second, (games.get(r.second) ?? 0) + count);
    terms.push({ i: param(r.first), j: param(r.second), h: true, games: count, score: r.wins + r.draws / 2 });
    const pair = [r.first, r.second].sort().join('\u0000');
    if (!met.has(pair)) {
      met.add(pair);
      terms.push({ i: param(r.first), j: param(r.second), h: false, games: PRIOR_DRAWS, score: PRIOR_DRAWS / 2 });
    }
  }

  // The envelope: every pair of parameters that share a term.
  const first = Int32Array.from({ length: n }, (_, i) => i);
  const touch = (a: number, b: number) => {
    if (a < 0 || b < 0) return;
    const [hi, lo] = a > b ? [a, b] : [b, a];
    if (lo < first[hi]!) first[hi] = lo;
  };
  for (const term of terms) {
    touch(term.i, term.j);
    if (term.h) {
      touch(term.i, hIndex);
      touch(term.j, hIndex);
    }
  }

  const theta = new Float64Array(n);
  const logLikelihood = (t: Float64Array) => {
    let ll = 0;
    for (const term of terms) {
      const x = (term.i >= 0 ? t[term.i]! : 0) - (term.j >= 0 ? t[term.j]! : 0) + (term.h ? t[hIndex]! : 0);
      // log sigma(x) and log(1 - sigma(x)), stable for large |x|.
      const logP = -Math.log1p(Math.exp(-x));
      const logQ = -Math.log1p(Math.exp(x));
      ll += term.score * logP + (term.games - term.score) * logQ;
    }
    return ll;
  };
  // Observed information (negative Hessian) and gradient at theta.
  const information = (t: Float64Array) => {
    const info = new EnvelopeMatrix(n, first);
    const grad = new Float64Array(n);
    // d x / d theta is +1 for the first player and the first-move term, -1 for the second: add g and w a aᵀ.
    for (const { i, j, h, games, score } of terms) {
      const x = (i >= 0 ? t[i]! : 0) - (j >= 0 ? t[j]! : 0) + (h ? t[hIndex]! : 0);
      const p = sigmoid(x);
      const g = score - games * p;
      const w = games * p * (1 - p);
      if (i >= 0) {
        grad[i]! += g;
        info.add(i, i, w);
        if (j >= 0) info.add(i, j, -w);
        if (h) info.add(hIndex, i, w);
      }
      if (j >= 0) {
        grad[j]! -= g;
        info.add(j, j, w);
        if (h) info.add(hIndex, j, -w);
      }
      if (h) {
        grad[hIndex]! += g;
        info.add(hIndex, hIndex, w);
      }
    }
    // The first-move term is unidentified without real games: pin it with a tiny ridge.
    info.add(hIndex, hIndex, 1e-9);
    return { info, grad };
  };

  if (terms.length > 0) {
    let ll = logLikelihood(theta);
    for (let iteration = 0; iteration < 100; iteration++) {
      const { info, grad } = information(theta);
      const factor = info.cholesky();
      if (!factor) break;
      const step = factor.solve(grad);
      let scale = 1;
      let next = theta;
      let nextLl = ll;
      for (; scale > 1e-6; scale /= 2) {
        next = theta.map((v, k) => v + scale * step[k]!);
        nextLl = logLikelihood(next);
        if (nextLl >= ll - 1e-12) break;
      }
      const moved = Math.max(...step.map((s) => Math.abs(s * scale)));
      theta.set(next);
      ll = nextLl;
      if (moved < 1e-9) break;
    }
  }

  const factor = terms.length > 0 ? information(theta).info.cholesky() : null;
  // Columns of the inverse, solved when first needed: the diagonal for every interval, others for differences.
  const columns = new Map<number, Float64Array>();
  const column = (i: number) => {
    let c = columns.get(i);
    if (!c) {
      const e = new Float64Array(n);
      e[i] = 1;
      c = factor!.solve(e);
      columns.set(i, c);
    }
    return c;
  };
  const variance = new Float64Array(n);
  const scratch = new Float64Array(n);
  if (factor) for (let i = 0; i < n - 1; i++) variance[i] = factor.inverseDiagonal(i, scratch);
  const covariance = (a: string, b: string) => {
    const ia = a === anchor ? -1 : index.get(a);
    const ib = b === anchor ? -1 : index.get(b);
    if (ia === undefined || ib === undefined || ia < 0 || ib < 0 || !factor) return 0;
    return (ia === ib ? variance[ia]! : column(ib)[ia]!) * ELO_PER_NAT * ELO_PER_NAT;
  };
  const players: PlayerRating[] = [];
  if (connected.has(anchor)) players.push({ id: anchor, elo: 0, elo_low: 0, elo_high: 0, sigma: 0, games: games.get(anchor) ?? 0 });
  for (const id of rated) {
    const elo = theta[index.get(id)!]! * ELO_PER_NAT;
    const sigma = Math.sqrt(Math.max(0, covariance(id, id)));
    players.push({ id, elo, elo_low: elo - Z95 * sigma, elo_high: elo + Z95 * sigma, sigma, games: games.get(id) ?? 0 });
  }
  return { anchor, players, disconnected, first_move_elo: theta[hIndex]! * ELO_PER_NAT, games: totalGames, covariance };
}

/** Expected score of a player rated `elo` against one rated `opponent` (no first-move term). */
export function expectedScore(elo: number, opponent: number): number {
  return 1 / (1 + 10 ** ((opponent - elo) / 400));
}

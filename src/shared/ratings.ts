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
  const ra = ratingOf(fit, a);
  const rb = ratingOf(fit, b);
  if (!ra || !rb) return null;
  const variance = Math.max(0, fit.covariance(a, a) + fit.covariance(b, b) - 2 * fit.covariance(a, b));
  const half = Z95 * Math.sqrt(variance);
  const elo = ra.elo - rb.elo;
  return { elo, low: elo - half, high: elo + half, significant: elo - half > 0 || elo + half < 0 };
}

const playersById = new WeakMap<RatingFit, Map<string, PlayerRating>>();
/** A player's rating in a fit, found through an index built once per fit (a fit of 20,000 models is asked per evaluation). */
export function ratingOf(fit: RatingFit, id: string): PlayerRating | undefined {
  let byId = playersById.get(fit);
  if (!byId) {
    byId = new Map(fit.players.map((p) => [p.id, p]));
    playersById.set(fit, byId);
  }
  return byId.get(id);
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

  clear(): void {
    for (const row of this.rows) row.fill(0);
  }

  /** The Cholesky factor L (A = L Lᵀ) in the same envelope (into `l` when given), or null when A is not positive definite. */
  cholesky(l: EnvelopeMatrix = new EnvelopeMatrix(this.n, this.first)): EnvelopeMatrix | null {
    const { n, first } = this;
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

  /**
   * With this matrix a Cholesky factor L: the entries of A⁻¹ inside the envelope (Takahashi's
   * selected inverse), from the last column to the first. With Z = A⁻¹ and P(j) the rows below j
   * whose envelope reaches column j:
   *   Zᵢⱼ = −(1/Lⱼⱼ) Σ_{k∈P(j)} Lₖⱼ Zᵢₖ  (i ∈ P(j)),   Zⱼⱼ = 1/Lⱼⱼ² − (1/Lⱼⱼ) Σ_{k∈P(j)} Lₖⱼ Zₖⱼ.
   * Every Zᵢₖ these need lies in the envelope already computed, so the cost is Σⱼ |P(j)|²: about n
   * times the square of a row's length, where each diagonal by its own forward substitution cost n².
   */
  selectedInverse(): EnvelopeMatrix {
    const { n, first, rows } = this;
    const z = new EnvelopeMatrix(n, first);
    // P(j) for every column: the rows whose envelope covers it, in increasing order.
    const below: number[][] = Array.from({ length: n }, () => []);
    for (let k = 0; k < n; k++) for (let c = first[k]!; c < k; c++) below[c]!.push(k);
    const zAt = (i: number, k: number) => (i >= k ? z.rows[i]![k - first[i]!]! : z.rows[k]![i - first[k]!]!);
    for (let j = n - 1; j >= 0; j--) {
      const ljj = rows[j]![j - first[j]!]!;
      const pj = below[j]!;
      const lkj = pj.map((k) => rows[k]![j - first[k]!]!);
      for (let a = pj.length - 1; a >= 0; a--) {
        const i = pj[a]!;
        let sum = 0;
        for (let b = 0; b < pj.length; b++) sum += lkj[b]! * zAt(i, pj[b]!);
        z.rows[i]![j - first[i]!] = -sum / ljj;
      }
      let sum = 0;
      for (let b = 0; b < pj.length; b++) sum += lkj[b]! * z.rows[pj[b]!]![j - first[pj[b]!]!]!;
      z.rows[j]![j - first[j]!] = 1 / (ljj * ljj) - sum / ljj;
    }
    return z;
  }

  /** The entry (i, j) when it lies inside the envelope, else undefined. */
  at(i: number, j: number): number | undefined {
    const [r, c] = i >= j ? [i, j] : [j, i];
    return c >= this.first[r]! ? this.rows[r]![c - this.first[r]!] : undefined;
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

/**
 * The likelihood's terms as columns (typed arrays: a long run has hundreds of thousands): the
 * parameters of the first and second player (-1 for the anchor), whether the first-move term
 * applies (real games) or not (prior draws), the games and the first player's score.
 */
class Terms {
  private readonly firsts: number[] = [];
  private readonly seconds: number[] = [];
  private readonly moveTerms: number[] = [];
  private readonly gameCounts: number[] = [];
  private readonly scores: number[] = [];

  add(i: number, j: number, h: boolean, games: number, score: number): void {
    this.firsts.push(i);
    this.seconds.push(j);
    this.moveTerms.push(h ? 1 : 0);
    this.gameCounts.push(games);
    this.scores.push(score);
  }

  freeze() {
    return {
      count: this.firsts.length,
      i: Int32Array.from(this.firsts),
      j: Int32Array.from(this.seconds),
      h: Uint8Array.from(this.moveTerms),
      games: Float64Array.from(this.gameCounts),
      score: Float64Array.from(this.scores),
    };
  }
}

/**
 * The fit. `start`, the ratings of an earlier fit of the same run (Elo by player id, and the
 * first-move term), starts Newton's method near the answer: a run refits after each evaluation
 * with a few games more, and a warm start converges in two or three steps instead of eight or nine.
 */
export function fitRatings(results: readonly PairResult[], anchor: string = ANCHOR_PLAYER, start?: RatingFit): RatingFit {
  const connected = connectedToAnchor(results, anchor);
  const everyone = new Set<string>();
  for (const r of results) everyone.add(r.first).add(r.second);
  const disconnected = [...everyone].filter((p) => !connected.has(p)).sort();
  // Models in iteration order, then the other players: the order keeps the information matrix's rows short.
  const iterationOf = new Map<string, number>();
  for (const id of connected) {
    const player = parsePlayerId(id);
    iterationOf.set(id, player?.kind === 'model' ? player.iteration : Infinity);
  }
  const rated = [...connected].filter((p) => p !== anchor).sort((a, b) => iterationOf.get(a)! - iterationOf.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(rated.map((id, i) => [id, i]));
  const n = rated.length + 1; // ratings, then the first-move advantage
  const hIndex = n - 1;
  const param = (id: string) => (id === anchor ? -1 : index.get(id)!);

  const games = new Map<string, number>();
  const building = new Terms();
  // Pairs that met, by their parameters (the anchor as n).
  const met = new Set<number>();
  let totalGames = 0;
  for (const r of results) {
    if (!connected.has(r.first) || !connected.has(r.second) || r.first === r.second) continue;
    const count = r.wins + r.draws + r.losses;
    if (count === 0) continue;
    totalGames += count;
    games.set(r.first, (games.get(r.first) ?? 0) + count);
    games.set(r.second, (games.get(r.second) ?? 0) + count);
    const i = param(r.first);
    const j = param(r.second);
    building.add(i, j, true, count, r.wins + r.draws / 2);
    const pi = i < 0 ? n : i;
    const pj = j < 0 ? n : j;
    const pair = pi < pj ? pi * (n + 1) + pj : pj * (n + 1) + pi;
    if (!met.has(pair)) {
      met.add(pair);
      building.add(i, j, false, PRIOR_DRAWS, PRIOR_DRAWS / 2);
    }
  }
  const terms = building.freeze();

  // The envelope: every pair of parameters that share a term.
  const first = Int32Array.from({ length: n }, (_, i) => i);
  const touch = (a: number, b: number) => {
    if (a < 0 || b < 0) return;
    const hi = Math.max(a, b);
    const lo = Math.min(a, b);
    if (lo < first[hi]!) first[hi] = lo;
  };
  for (let t = 0; t < terms.count; t++) {
    touch(terms.i[t]!, terms.j[t]!);
    if (terms.h[t]) {
      touch(terms.i[t]!, hIndex);
      touch(terms.j[t]!, hIndex);
    }
  }

  const theta = new Float64Array(n);
  if (start) {
    for (const player of start.players) {
      const i = index.get(player.id);
      if (i !== undefined) theta[i] = player.elo / ELO_PER_NAT;
    }
    theta[hIndex] = start.first_move_elo / ELO_PER_NAT;
  }
  /** The difference the likelihood sees in term t: first minus second, plus the first-move term. */
  const margin = (p: Float64Array, t: number) => {
    const i = terms.i[t]!;
    const j = terms.j[t]!;
    return (i >= 0 ? p[i]! : 0) - (j >= 0 ? p[j]! : 0) + (terms.h[t] ? p[hIndex]! : 0);
  };
  const logLikelihood = (p: Float64Array) => {
    let ll = 0;
    for (let t = 0; t < terms.count; t++) {
      const x = margin(p, t);
      // score log sigma(x) + (games - score) log(1 - sigma(x)) = score x - games softplus(x), stable for large |x|.
      const softplus = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
      ll += terms.score[t]! * x - terms.games[t]! * softplus;
    }
    return ll;
  };
  // Observed information (negative Hessian) and gradient at p, into one matrix reused across Newton steps.
  const info = new EnvelopeMatrix(n, first);
  const factorScratch = new EnvelopeMatrix(n, first);
  const grad = new Float64Array(n);
  const information = (p: Float64Array) => {
    info.clear();
    grad.fill(0);
    // d x / d theta is +1 for the first player and the first-move term, -1 for the second: add g and w a aᵀ.
    for (let t = 0; t < terms.count; t++) {
      const i = terms.i[t]!;
      const j = terms.j[t]!;
      const h = terms.h[t] === 1;
      const prob = sigmoid(margin(p, t));
      const g = terms.score[t]! - terms.games[t]! * prob;
      const w = terms.games[t]! * prob * (1 - prob);
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

  if (terms.count > 0) {
    let ll = logLikelihood(theta);
    const next = new Float64Array(n);
    for (let iteration = 0; iteration < 100; iteration++) {
      const { info, grad } = information(theta);
      const factor = info.cholesky(factorScratch);
      if (!factor) break;
      const step = factor.solve(grad);
      let scale = 1;
      let nextLl = ll;
      for (; scale > 1e-6; scale /= 2) {
        for (let k = 0; k < n; k++) next[k] = theta[k]! + scale * step[k]!;
        nextLl = logLikelihood(next);
        if (nextLl >= ll - 1e-12) break;
      }
      const moved = step.reduce((most, s) => Math.max(most, Math.abs(s * scale)), 0);
      theta.set(next);
      ll = nextLl;
      // A millionth of a nat is 0.0004 Elo.
      if (moved < 1e-6) break;
    }
  }

  const factor = terms.count > 0 ? information(theta).info.cholesky() : null;
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
  // The inverse inside the envelope holds every variance and the covariance of players that met; others are solved for.
  const inverse = factor?.selectedInverse() ?? null;
  const covariance = (a: string, b: string) => {
    const ia = a === anchor ? -1 : index.get(a);
    const ib = b === anchor ? -1 : index.get(b);
    if (ia === undefined || ib === undefined || ia < 0 || ib < 0 || !factor || !inverse) return 0;
    return (inverse.at(ia, ib) ?? column(ib)[ia]!) * ELO_PER_NAT * ELO_PER_NAT;
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

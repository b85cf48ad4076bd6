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

/** The Cholesky factor L (A = L Lᵀ) of a symmetric matrix, or null when it is not positive definite. */
function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (sum <= 0) return null;
        l[i * n + i] = Math.sqrt(sum);
      } else l[i * n + j] = sum / l[j * n + j]!;
    }
  }
  return l;
}

/** Solves L Lᵀ x = b. */
function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!;
    y[i] = sum / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
  return x;
}

function invert(a: Float64Array, n: number): Float64Array | null {
  const l = cholesky(a, n);
  if (!l) return null;
  const inverse = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let col = 0; col < n; col++) {
    e.fill(0);
    e[col] = 1;
    const x = choleskySolve(l, n, e);
    for (let row = 0; row < n; row++) inverse[row * n + col] = x[row]!;
  }
  return inverse;
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
  const rated = [...connected].filter((p) => p !== anchor).sort();
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
    const info = new Float64Array(n * n);
    const grad = new Float64Array(n);
    for (const term of terms) {
      const x = (term.i >= 0 ? t[term.i]! : 0) - (term.j >= 0 ? t[term.j]! : 0) + (term.h ? t[hIndex]! : 0);
      const p = sigmoid(x);
      const g = term.score - term.games * p;
      const w = term.games * p * (1 - p);
      const idx: [number, number][] = [];
      if (term.i >= 0) idx.push([term.i, 1]);
      if (term.j >= 0) idx.push([term.j, -1]);
      if (term.h) idx.push([hIndex, 1]);
      for (const [a, sa] of idx) {
        grad[a]! += sa * g;
        for (const [b, sb] of idx) info[a * n + b]! += sa * sb * w;
      }
    }
    // The first-move term is unidentified without real games: pin it with a tiny ridge.
    info[hIndex * n + hIndex]! += 1e-9;
    return { info, grad };
  };

  if (terms.length > 0) {
    let ll = logLikelihood(theta);
    for (let iteration = 0; iteration < 100; iteration++) {
      const { info, grad } = information(theta);
      const factor = cholesky(info, n);
      if (!factor) break;
      const step = choleskySolve(factor, n, grad);
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

  const { info } = information(theta);
  const cov = terms.length > 0 ? invert(info, n) : null;
  const covariance = (a: string, b: string) => {
    const ia = a === anchor ? -1 : index.get(a);
    const ib = b === anchor ? -1 : index.get(b);
    if (ia === undefined || ib === undefined || ia < 0 || ib < 0 || !cov) return 0;
    return cov[ia * n + ib]! * ELO_PER_NAT * ELO_PER_NAT;
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
  return 1 / (1 + Math.pow(10, (opponent - elo) / 400));
}

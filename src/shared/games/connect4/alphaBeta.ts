/**
 * A Connect Four alpha-beta player with a depth limit (negamax, centre-first
 * move order, a window-counting heuristic at the horizon): the "depth-N
 * alpha-beta" yardstick, stronger than random.
 */
import { connect4, type Connect4State } from './rules';
import type { Rng } from '../../random';

const ORDER = [3, 2, 4, 1, 5, 0, 6];
const WIN = 1_000_000;

function cellOwner(s: Connect4State, col: number, row: number): 0 | 1 | 2 {
  const i = col * 7 + row;
  const inMask = i < 32 ? (s.maskLo >>> i) & 1 : (s.maskHi >>> (i - 32)) & 1;
  if (!inMask) return 0;
  const mine = i < 32 ? (s.curLo >>> i) & 1 : (s.curHi >>> (i - 32)) & 1;
  return mine ? 1 : 2;
}

/** Windows of four open to one side, weighted by how full they are, from the player to move's view. */
export function heuristic(s: Connect4State): number {
  let score = 0;
  const dirs = [
    [1, 0],
    [0, 1],
    [1, 1],
    [1, -1],
  ] as const;
  for (let c = 0; c < 7; c++)
    for (let r = 0; r < 6; r++)
      for (const [dc, dr] of dirs) {
        const ec = c + 3 * dc;
        const er = r + 3 * dr;
        if (ec < 0 || ec > 6 || er < 0 || er > 5) continue;
        let mine = 0;
        let theirs = 0;
        for (let k = 0; k < 4; k++) {
          const o = cellOwner(s, c + k * dc, r + k * dr);
          if (o === 1) mine++;
          else if (o === 2) theirs++;
        }
        if (theirs === 0 && mine > 0) score += mine === 3 ? 50 : mine === 2 ? 5 : 1;
        else if (mine === 0 && theirs > 0) score -= theirs === 3 ? 50 : theirs === 2 ? 5 : 1;
      }
  // The centre column is worth more.
  for (let r = 0; r < 6; r++) {
    const o = cellOwner(s, 3, r);
    score += o === 1 ? 3 : o === 2 ? -3 : 0;
  }
  return score;
}

function negamax(s: Connect4State, depth: number, alpha: number, beta: number): number {
  const outcome = connect4.outcome(s);
  if (outcome !== null) return outcome === 0 ? 0 : -WIN - depth; // sooner losses are worse
  if (depth === 0) return heuristic(s);
  const legal = new Set(connect4.legalActions(s));
  let best = -Infinity;
  for (const a of ORDER) {
    if (!legal.has(a)) continue;
    const v = -negamax(connect4.play(s, a), depth - 1, -beta, -alpha);
    if (v > best) best = v;
    if (v > alpha) alpha = v;
    if (alpha >= beta) break;
  }
  return best;
}

/** The move (0-based column) of a depth-limited alpha-beta search; ties broken at random. */
export function alphaBetaMove(s: Connect4State, depth: number, rng: Rng): number {
  const scored = connect4.legalActions(s).map((a) => ({ a, v: -negamax(connect4.play(s, a), depth - 1, -Infinity, Infinity) }));
  const top = Math.max(...scored.map((x) => x.v));
  const best = scored.filter((x) => x.v === top);
  return best[Math.floor(rng() * best.length)]!.a;
}

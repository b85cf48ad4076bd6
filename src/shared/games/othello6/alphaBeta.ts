/**
 * An Othello 6x6 alpha-beta player with a depth limit (negamax, corners first): the reference
 * players. At the horizon it weighs corners, mobility and discs, the usual first heuristic.
 */
import type { Rng } from '../../random';
import { CELLS, othello6, type OthelloState, PASS, placements, SIZE } from './rules';

const WIN = 1_000_000;
const CORNERS = [0, SIZE - 1, CELLS - SIZE, CELLS - 1];
const ORDER = [...CORNERS, ...Array.from({ length: CELLS }, (_, i) => i).filter((i) => !CORNERS.includes(i)), PASS];

/** From the view of the player to move. */
export function heuristic(s: OthelloState): number {
  const me = (s.ply % 2) + 1;
  const them = 3 - me;
  let discs = 0;
  for (const c of s.cells) discs += c === me ? 1 : c === them ? -1 : 0;
  let corners = 0;
  for (const c of CORNERS) corners += s.cells[c] === me ? 1 : s.cells[c] === them ? -1 : 0;
  const mobility = placements(s.cells, me).length - placements(s.cells, them).length;
  return 25 * corners + 3 * mobility + discs;
}

function negamax(s: OthelloState, depth: number, alpha: number, beta: number): number {
  if (s.outcome !== null) {
    const me = (s.ply % 2) + 1;
    let discs = 0;
    for (const c of s.cells) discs += c === me ? 1 : c === 0 ? 0 : -1;
    return s.outcome * WIN + discs;
  }
  if (depth === 0) return heuristic(s);
  const legal = new Set(s.legal);
  let best = -Infinity;
  for (const a of ORDER) {
    if (!legal.has(a)) continue;
    const v = -negamax(othello6.play(s, a), depth - 1, -beta, -alpha);
    if (v > best) best = v;
    if (v > alpha) alpha = v;
    if (alpha >= beta) break;
  }
  return best;
}

/** The move (0-based action) of a depth-limited alpha-beta search; ties broken at random. */
export function alphaBetaMove(s: OthelloState, depth: number, rng: Rng): number {
  const scored = s.legal.map((a) => ({ a, v: -negamax(othello6.play(s, a), depth - 1, -Infinity, Infinity) }));
  const top = Math.max(...scored.map((x) => x.v));
  const best = scored.filter((x) => x.v === top);
  return best[Math.floor(rng() * best.length)]!.a;
}

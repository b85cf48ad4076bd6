/**
 * Perfect tic-tac-toe: exhaustive minimax over every reachable position, with
 * the value for the player to move (1 win, 0 draw, -1 loss) and its optimal
 * moves. The yardstick for the tic-tac-toe strength target.
 */
import { ticTacToe, type TicTacToeState } from './rules';

export interface Solved {
  value: -1 | 0 | 1;
  /** Optimal actions (0-based cells). */
  best: number[];
}

const key = (s: TicTacToeState) => s.cells.join('');

export class TicTacToeSolver {
  private readonly table = new Map<string, Solved>();

  solve(state: TicTacToeState): Solved {
    const k = key(state);
    const cached = this.table.get(k);
    if (cached) return cached;
    let result: Solved;
    const outcome = ticTacToe.outcome(state);
    if (outcome !== null) result = { value: outcome, best: [] };
    else {
      let bestValue = -2;
      let best: number[] = [];
      for (const a of ticTacToe.legalActions(state)) {
        const v = -this.solve(ticTacToe.play(state, a)).value;
        if (v > bestValue) {
          bestValue = v;
          best = [a];
        } else if (v === bestValue) best.push(a);
      }
      result = { value: bestValue as -1 | 0 | 1, best };
    }
    this.table.set(k, result);
    return result;
  }

  /** Every reachable position where the game goes on. */
  reachablePositions(): TicTacToeState[] {
    const seen = new Map<string, TicTacToeState>();
    const visit = (s: TicTacToeState) => {
      if (ticTacToe.outcome(s) !== null || seen.has(key(s))) return;
      seen.set(key(s), s);
      for (const a of ticTacToe.legalActions(s)) visit(ticTacToe.play(s, a));
    };
    visit(ticTacToe.initial());
    return [...seen.values()];
  }
}

/** Negamax to `depth` plies (0 at the horizon): depth 1 takes a win, depth 2 also blocks one, depth 9 plays perfectly. */
function negamax(s: TicTacToeState, depth: number): number {
  const outcome = ticTacToe.outcome(s);
  if (outcome !== null) return outcome === 0 ? 0 : -(10 + depth); // sooner wins count more
  if (depth === 0) return 0;
  let best = -Infinity;
  for (const a of ticTacToe.legalActions(s)) best = Math.max(best, -negamax(ticTacToe.play(s, a), depth - 1));
  return best;
}

/** The move (0-based cell) of a depth-limited search; ties broken at random. */
export function alphaBetaMove(s: TicTacToeState, depth: number, rng: () => number): number {
  const scored = ticTacToe.legalActions(s).map((a) => ({ a, v: -negamax(ticTacToe.play(s, a), depth - 1) }));
  const top = Math.max(...scored.map((x) => x.v));
  const best = scored.filter((x) => x.v === top);
  return best[Math.floor(rng() * best.length)]!.a;
}

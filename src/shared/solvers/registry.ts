/**
 * What each game offers beyond its rules: a perfect-play oracle (the value of
 * every legal move) and depth-limited alpha-beta reference players. A game
 * without them is rated against random only and has no accuracy score.
 */
import type { GameId } from '../games';
import type { Rng } from '../random';
import type { Connect4State } from '../rules/connect4';
import { ticTacToe, type TicTacToeState } from '../rules/tictactoe';
import { alphaBetaMove as connect4AlphaBeta } from './connect4';
import { Connect4Solver } from './connect4Solver';
import { alphaBetaMove as ticTacToeAlphaBeta, TicTacToeSolver } from './tictactoe';

/** Value for the mover of each legal move (0-based action -> 1 win, 0 draw, -1 loss) with perfect play after it. */
export type MoveValues = Map<number, -1 | 0 | 1>;

export interface GameSolvers {
  /** A perfect-play oracle; can be slow early in a game (Connect Four: seconds from ply 8, minutes before). */
  createOracle(): { moveValues(state: unknown): MoveValues };
  /** A depth-limited alpha-beta player's move. */
  alphaBetaMove(state: unknown, depth: number, rng: Rng): number;
  /** Deepest search depth a reference player may use. */
  maxDepth: number;
}

function ticTacToeOracle() {
  const solver = new TicTacToeSolver();
  return {
    moveValues(state: unknown): MoveValues {
      const values: MoveValues = new Map();
      for (const a of ticTacToe.legalActions(state as TicTacToeState)) {
        const child = ticTacToe.play(state as TicTacToeState, a);
        values.set(a, (0 - solver.solve(child).value) as -1 | 0 | 1);
      }
      return values;
    },
  };
}

export const GAME_SOLVERS: Record<GameId, GameSolvers | null> = {
  tictactoe: {
    createOracle: ticTacToeOracle,
    alphaBetaMove: (state, depth, rng) => ticTacToeAlphaBeta(state as TicTacToeState, depth, rng),
    maxDepth: 9,
  },
  connect4: {
    createOracle: () => {
      const solver = new Connect4Solver();
      return { moveValues: (state: unknown) => solver.moveValues(state as Connect4State) };
    },
    alphaBetaMove: (state, depth, rng) => connect4AlphaBeta(state as Connect4State, depth, rng),
    maxDepth: 8,
  },
};

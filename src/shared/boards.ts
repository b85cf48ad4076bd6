/** A bundled game's positions as the bundled engine's `board` answers them (docs/protocol.md, board). */
import { EMPTY_CELL, PLAYER_PIECES } from './games/notation';
import type { BoardView, Cell, GameSpec } from './games/types';
import type { BoardLine } from './protocol';

/** The board after the first `ply` moves: cells[row][col], 1 for the first player's pieces, 2 for the second's. */
export function boardCells(view: BoardView, moves: readonly number[], ply: number = moves.length): Cell[][] {
  const cells: Cell[][] = Array.from({ length: view.rows }, () => new Array<Cell>(view.cols).fill(0));
  for (let i = 0; i < Math.min(ply, moves.length); i++) {
    const [row, col] = view.landing(moves, i);
    cells[row]![col] = i % 2 === 0 ? 1 : 2;
  }
  return cells;
}

/** The `board` answer for one position in the bundled notation (a digit a move), or `{position, error}`. */
export function boardAnswer(spec: GameSpec, position: string): BoardLine {
  const game = spec.rules;
  try {
    const state = game.parse(position);
    const outcome = game.outcome(state);
    const ply = game.ply(state);
    return {
      position,
      board: boardCells(spec.board, [...position].map(Number)).map((row) => row.map((cell) => (cell === 0 ? EMPTY_CELL : PLAYER_PIECES[cell - 1])).join('')),
      to_move: ply % 2 === 0 ? 1 : 2,
      legal: game.legalActions(state).map((a) => a + 1),
      result: outcome === null ? null : outcome === 0 ? 'draw' : ply % 2 === 1 ? 'first' : 'second',
    };
  } catch (error) {
    return { position, error: (error as Error).message };
  }
}

/**
 * How each game's board is drawn and played by hand (the panel's game viewer
 * and Play): the grid, the sides' names, where a move lands and which move a
 * click on a cell makes. Keyed by GameId, so a new game that lacks a board
 * does not compile.
 */
import type { GameId } from './games';

export type Cell = 0 | 1 | 2;

export interface BoardView {
  rows: number;
  cols: number;
  /** Names of the first and the second player's pieces. */
  sides: [string, string];
  /** Where the move at `index` of `moves` lands: [row from the top, column from the left]. */
  landing(moves: readonly number[], index: number): [number, number];
  /** The move a click on a cell makes, or null when it makes none. */
  moveAt(cells: Cell[][], row: number, col: number): number | null;
  /** "column 4", "cell 5". */
  moveLabel(move: number): string;
}

const connect4: BoardView = {
  rows: 6,
  cols: 7,
  sides: ['Red', 'Yellow'],
  landing(moves, index) {
    const col = moves[index]! - 1;
    let below = 0;
    for (let i = 0; i < index; i++) if (moves[i] === moves[index]) below++;
    return [5 - below, col];
  },
  moveAt: (cells, _row, col) => (cells[0]![col] === 0 ? col + 1 : null),
  moveLabel: (move) => `column ${move}`,
};

const tictactoe: BoardView = {
  rows: 3,
  cols: 3,
  sides: ['X', 'O'],
  landing: (moves, index) => [Math.floor((moves[index]! - 1) / 3), (moves[index]! - 1) % 3],
  moveAt: (cells, row, col) => (cells[row]![col] === 0 ? row * 3 + col + 1 : null),
  moveLabel: (move) => `cell ${move}`,
};

export const BOARDS: Record<GameId, BoardView> = { connect4, tictactoe };

/** The board after the first `ply` moves: cells[row][col], 1 for the first player's pieces, 2 for the second's. */
export function boardCells(game: GameId, moves: readonly number[], ply: number = moves.length): Cell[][] {
  const view = BOARDS[game];
  const cells: Cell[][] = Array.from({ length: view.rows }, () => new Array<Cell>(view.cols).fill(0));
  for (let i = 0; i < Math.min(ply, moves.length); i++) {
    const [row, col] = view.landing(moves, i);
    cells[row]![col] = i % 2 === 0 ? 1 : 2;
  }
  return cells;
}

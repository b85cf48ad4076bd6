/** A game's board after some moves, as the panel's game viewer and Play draw it (each GameSpec's `board`). */
import { GAME_SPECS, type GameId } from './games';
import type { Cell } from './games/types';

/** The board after the first `ply` moves: cells[row][col], 1 for the first player's pieces, 2 for the second's. */
export function boardCells(game: GameId, moves: readonly number[], ply: number = moves.length): Cell[][] {
  const view = GAME_SPECS[game].board;
  const cells: Cell[][] = Array.from({ length: view.rows }, () => new Array<Cell>(view.cols).fill(0));
  for (let i = 0; i < Math.min(ply, moves.length); i++) {
    const [row, col] = view.landing(moves, i);
    cells[row]![col] = i % 2 === 0 ? 1 : 2;
  }
  return cells;
}

/**
 * A game board as an accessible grid: role "grid" labelled Board, each cell's
 * name its position and content ("row 1, column 3: Red", or "empty"). With
 * onMove, a click (or Enter) on a cell plays the move it makes.
 */
import { memo } from 'react';
import { BOARDS, type Cell } from '../../../shared/boards';
import type { GameId } from '../../../shared/games';

interface BoardProps {
  game: GameId;
  cells: Cell[][];
  /** The cell of the last move, highlighted. */
  last?: [number, number] | null;
  onMove?(move: number): void;
}

export const Board = memo(function Board({ game, cells, last, onMove }: BoardProps) {
  const view = BOARDS[game];
  return (
    <div role="grid" aria-label="Board" className={`board board-${game}`}>
      {cells.map((row, r) => (
        <div role="row" key={r} className="board-row">
          {row.map((cell, c) => {
            const content = cell === 0 ? 'empty' : view.sides[cell - 1];
            const move = onMove ? view.moveAt(cells, r, c) : null;
            const isLast = last !== null && last !== undefined && last[0] === r && last[1] === c;
            return (
              <div
                role="gridcell"
                key={c}
                aria-label={`row ${r + 1}, column ${c + 1}: ${content}`}
                className={`board-cell side-${cell}${isLast ? ' last' : ''}${move !== null ? ' playable' : ''}`}
                tabIndex={move !== null ? 0 : undefined}
                onClick={move !== null ? () => onMove!(move) : undefined}
                onKeyDown={move !== null ? (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onMove!(move)) : undefined}
              >
                {game === 'tictactoe' && cell !== 0 ? view.sides[cell - 1] : null}
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
});

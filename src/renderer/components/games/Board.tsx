/**
 * A game board as an accessible grid: a table with role "grid" labelled Board,
 * each cell's name its position and content ("row 1, column 3: Red", or
 * "empty"). With onMove, a click (or Enter) on a cell plays the move it makes.
 */
import { memo } from 'react';
import { GAME_SPECS, type GameId } from '../../../shared/games';
import type { Cell } from '../../../shared/games/types';

interface BoardProps {
  game: GameId;
  cells: Cell[][];
  /** The cell of the last move, highlighted. */
  last?: [number, number] | null;
  onMove?(move: number): void;
}

export const Board = memo(function Board({ game, cells, last, onMove }: BoardProps) {
  const view = GAME_SPECS[game].board;
  return (
    // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a board is the ARIA grid pattern; its cells are played in Play
    <table role="grid" aria-label="Board" className={`board board-${game}`}>
      <tbody>
        {cells.map((row, r) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a board's rows are positions, fixed for the game
          <tr key={r} className="board-row">
            {row.map((cell, c) => {
              const content = cell === 0 ? 'empty' : view.sides[cell - 1];
              const move = onMove ? view.moveAt(cells, r, c) : null;
              const isLast = last !== null && last !== undefined && last[0] === r && last[1] === c;
              const play = move !== null ? () => onMove!(move) : undefined;
              return (
                <td
                  // biome-ignore lint/suspicious/noArrayIndexKey: a board's cells are positions, fixed for the game
                  key={c}
                  aria-label={`row ${r + 1}, column ${c + 1}: ${content}`}
                  className={`board-cell side-${cell}${isLast ? ' last' : ''}${play ? ' playable' : ''}`}
                  tabIndex={play ? 0 : undefined}
                  onClick={play}
                  onKeyDown={
                    play
                      ? (e) => {
                          if (e.key !== 'Enter' && e.key !== ' ') return;
                          e.preventDefault();
                          play();
                        }
                      : undefined
                  }
                >
                  {game === 'tictactoe' && cell !== 0 ? view.sides[cell - 1] : null}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
});

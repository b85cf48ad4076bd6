/**
 * A game board as an accessible grid: a table with role "grid" labelled Board,
 * each cell's name its position and content ("row 1, column 3: Red", or
 * "empty"). The board is the engine's (protocol `board`): rows of one character
 * a cell. With onMove, a click (or Enter) on a cell plays the legal move it makes.
 */
import { memo } from 'react';
import { EMPTY_CELL, moveAtCell, pieceOwner } from '../../../shared/games/notation';
import type { GameDeclaration } from '../../../shared/protocol';

interface BoardProps {
  game: GameDeclaration;
  board: readonly string[];
  /** The cell of the last move, highlighted. */
  last?: [number, number] | null;
  /** The legal moves, with onMove: the cells that make one are playable. */
  legal?: readonly number[];
  onMove?(move: number): void;
}

const DEFAULT_COLORS = ['#dc2626', '#facc15'] as const;

export const Board = memo(function Board({ game, board, last, legal, onMove }: BoardProps) {
  const { colors = DEFAULT_COLORS, letters } = game.board;
  const pieceStyle = { '--piece-1': colors[0], '--piece-2': colors[1] } as React.CSSProperties;
  return (
    // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a board is the ARIA grid pattern; its cells are played in Play
    <table role="grid" aria-label="Board" className={`board board-${game.board.moves} ${letters ? 'board-letters' : 'board-discs'}`} style={pieceStyle}>
      <tbody>
        {board.map((row, r) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a board's rows are positions, fixed for the game
          <tr key={r} className="board-row">
            {[...row].map((cell, c) => {
              const owner = pieceOwner(cell);
              const content = cell === EMPTY_CELL ? 'empty' : owner ? game.players[owner - 1] : `piece ${cell}`;
              const move = onMove && legal ? moveAtCell(game, r, c, legal) : null;
              const isLast = last !== null && last !== undefined && last[0] === r && last[1] === c;
              const play = move !== null ? () => onMove!(move) : undefined;
              return (
                <td
                  // biome-ignore lint/suspicious/noArrayIndexKey: a board's cells are positions, fixed for the game
                  key={c}
                  aria-label={`row ${r + 1}, column ${c + 1}: ${content}`}
                  className={`board-cell side-${owner}${isLast ? ' last' : ''}${play ? ' playable' : ''}`}
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
                  {owner && letters ? letters[owner - 1] : owner || cell === EMPTY_CELL ? null : cell}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
});

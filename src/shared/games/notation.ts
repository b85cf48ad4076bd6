/**
 * A declared game's moves and positions as people and engines write them (docs/protocol.md,
 * games): moves are 1-based action numbers, named by `notation.moves` and joined by its separator;
 * boards are rows of one character a cell, as the engine's `board` answers.
 */
import type { GameDeclaration } from '../protocol';

/** A board cell's character: nobody's, the first player's, the second's; any other is a piece drawn as itself. */
export const EMPTY_CELL = '.';
export const PLAYER_PIECES = ['x', 'o'] as const;

export function moveName(game: GameDeclaration, move: number): string {
  return game.notation.moves[move - 1] ?? `#${move}`;
}

/** "column 4", "cell 5", "d3", "pass": a move for people. */
export function moveLabel(game: GameDeclaration, move: number): string {
  const name = moveName(game, move);
  if (!/^\d+$/.test(name)) return name;
  return `${game.board.moves === 'columns' ? 'column' : 'cell'} ${name}`;
}

/** The position after `moves`, in the game's notation: what bestmove and board read. */
export function positionText(game: GameDeclaration, moves: readonly number[]): string {
  return moves.map((m) => moveName(game, m)).join(game.notation.separator);
}

/** The moves of a position in the game's notation, or what is wrong with it. */
export function parsePosition(game: GameDeclaration, text: string): number[] | { error: string } {
  const { moves: names, separator } = game.notation;
  const index = new Map(names.map((name, a) => [name, a + 1]));
  if (text === '') return [];
  if (separator !== '') {
    const moves: number[] = [];
    for (const [i, name] of text.split(separator).entries()) {
      const move = index.get(name);
      if (move === undefined) return { error: `move ${i + 1} ("${name}") is not a move of ${game.label}` };
      moves.push(move);
    }
    return moves;
  }
  // Without a separator the names are prefix-free (declarationProblem checks it), so the longest match is the move.
  const longest = Math.max(...names.map((n) => n.length));
  const moves: number[] = [];
  for (let at = 0; at < text.length; ) {
    let length = Math.min(longest, text.length - at);
    while (length > 0 && !index.has(text.slice(at, at + length))) length--;
    if (length === 0) return { error: `move ${moves.length + 1} (at "${text.slice(at, at + 8)}") is not a move of ${game.label}` };
    moves.push(index.get(text.slice(at, at + length))!);
    at += length;
  }
  return moves;
}

/** The legal move a click on a cell makes: the cell's action, or for "columns" the column's; null for none. */
export function moveAtCell(game: GameDeclaration, row: number, col: number, legal: readonly number[]): number | null {
  if (game.board.moves === 'columns') return legal.includes(col + 1) ? col + 1 : null;
  const cells = game.board.cells ?? [];
  for (const move of legal) {
    const cell = cells[move - 1];
    if (cell && cell[0] === row && cell[1] === col) return move;
  }
  return null;
}

/** Legal moves that place nothing (passes): played with a button, not on the board. */
export function movesOffBoard(game: GameDeclaration, legal: readonly number[]): number[] {
  if (game.board.moves === 'columns') return [];
  return legal.filter((m) => !game.board.cells?.[m - 1]);
}

/** The cell a move filled: empty before, taken after (a flip changes a piece, a placement fills a cell); null for a pass. */
export function placedCell(before: readonly string[] | null, after: readonly string[]): [number, number] | null {
  if (!before) return null;
  for (let r = 0; r < after.length; r++) for (let c = 0; c < after[r]!.length; c++) if (before[r]?.[c] === EMPTY_CELL && after[r]![c] !== EMPTY_CELL) return [r, c];
  return null;
}

/** Who a cell's piece belongs to: 1, 2, or 0 for an empty cell or a piece of neither. */
export function pieceOwner(cell: string): 0 | 1 | 2 {
  return cell === PLAYER_PIECES[0] ? 1 : cell === PLAYER_PIECES[1] ? 2 : 0;
}

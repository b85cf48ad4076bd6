/**
 * The bundled games as an engine declares them (protocol `games`): what the bundled engine answers,
 * and what a run made before declarations were kept is taken to have used.
 */
import type { GameDeclaration } from '../protocol';
import type { Cell } from './types';
import { GAME_IDS, GAME_SPECS, type GameId } from './index';

export function bundledDeclaration(id: GameId): GameDeclaration {
  const spec = GAME_SPECS[id];
  const { rules, board, solver } = spec;
  const empty: Cell[][] = Array.from({ length: board.rows }, () => new Array<Cell>(board.cols).fill(0));
  const cells: ([number, number] | null)[] = Array.from({ length: rules.actions }, () => null);
  if (board.moves === 'cells')
    for (let r = 0; r < board.rows; r++)
      for (let c = 0; c < board.cols; c++) {
        const move = board.moveAt(empty, r, c);
        if (move !== null) cells[move - 1] = [r, c];
      }
  return {
    event: 'game',
    id,
    label: spec.label,
    players: [board.sides[0], board.sides[1]],
    actions: rules.actions,
    observation: [rules.obsSize],
    board: { rows: board.rows, cols: board.cols, moves: board.moves, ...(board.moves === 'cells' ? { cells } : {}) },
    notation: { moves: Array.from({ length: rules.actions }, (_, a) => String(a + 1)), separator: '' },
    capabilities: { bestmove: true, references: solver?.references.map((r) => `alphabeta:${r.depth}`) ?? [], positions: solver !== null },
  };
}

export function bundledDeclarations(): GameDeclaration[] {
  return GAME_IDS.map(bundledDeclaration);
}

/** What is wrong with a declaration beyond its fields' types (the schema checks those), or null. */
export function declarationProblem(d: GameDeclaration): string | null {
  const size = d.observation.reduce((a, b) => a * b, 1);
  if (size > 10_000_000) return `game "${d.id}": an observation of ${size} values is more than this panel takes`;
  if (d.notation.moves.length !== d.actions) return `game "${d.id}": notation.moves names ${d.notation.moves.length} moves for ${d.actions} actions; name each action once`;
  if (new Set(d.notation.moves).size !== d.actions) return `game "${d.id}": notation.moves names a move twice; each action needs a name of its own`;
  if (d.board.moves === 'columns' && d.actions > d.board.cols) return `game "${d.id}": ${d.actions} actions do not fit ${d.board.cols} columns; with board.moves "columns" action c drops in column c`;
  if (d.board.moves === 'cells') {
    const cells = d.board.cells;
    if (!cells || cells.length !== d.actions) return `game "${d.id}": board.cells has ${cells?.length ?? 0} entries for ${d.actions} actions; give each action its [row, column], or null for a pass`;
    const outside = cells.findIndex((c) => c !== null && (c[0] >= d.board.rows || c[1] >= d.board.cols));
    if (outside >= 0) return `game "${d.id}": board.cells[${outside}] = [${cells[outside]}] is outside the ${d.board.rows} x ${d.board.cols} board`;
  }
  return null;
}

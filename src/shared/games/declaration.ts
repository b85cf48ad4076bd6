/**
 * The bundled games as an engine declares them (protocol `games`): what the bundled engine answers,
 * and what a run made before declarations were kept is taken to have used.
 */
import type { GameDeclaration } from '../protocol';
import type { GameSolver } from './types';
import { GAME_IDS, GAME_SPECS, isGameId, type GameId } from './index';

export function bundledDeclaration(id: GameId): GameDeclaration {
  const spec = GAME_SPECS[id];
  const { rules, board, references, solver } = spec;
  const cells = Array.from({ length: rules.actions }, (_, a) => board.actionCell?.(a) ?? null);
  return {
    event: 'game',
    id,
    label: spec.label,
    players: [board.sides[0], board.sides[1]],
    actions: rules.actions,
    observation: [rules.obsSize],
    board: {
      rows: board.rows,
      cols: board.cols,
      moves: board.moves,
      ...(board.moves === 'cells' ? { cells } : {}),
      colors: board.colors,
      ...(board.letters ? { letters: board.letters } : {}),
    },
    notation: { moves: [...spec.notation.moves], separator: spec.notation.separator },
    capabilities: {
      bestmove: true,
      references: references?.levels.map((r) => ({ player: `alphabeta:${r.depth}`, label: `alpha-beta depth ${r.depth}`, elo: r.nominalElo })) ?? [],
      positions: solver !== null,
    },
  };
}

/** What a run made before engines declared their games played: its bundled game's declaration, or null for another id. */
export function legacyDeclaration(id: string): GameDeclaration | null {
  return isGameId(id) ? bundledDeclaration(id) : null;
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
  if (d.notation.separator === '') {
    const prefix = d.notation.moves.find((a) => d.notation.moves.some((b) => b !== a && b.startsWith(a)));
    if (prefix !== undefined) return `game "${d.id}": move "${prefix}" begins another move's name, so positions without a separator read two ways; set notation.separator (" ")`;
  } else if (d.notation.moves.some((m) => m.includes(d.notation.separator))) return `game "${d.id}": a move name holds the separator "${d.notation.separator}"; choose another separator`;
  if (d.notation.moves.some((m) => /[\r\n]/.test(m))) return `game "${d.id}": a move name holds a line break; positions are one line each`;
  if (d.board.moves === 'columns' && d.actions > d.board.cols) return `game "${d.id}": ${d.actions} actions do not fit ${d.board.cols} columns; with board.moves "columns" action c drops in column c`;
  if (d.board.moves === 'cells') {
    const cells = d.board.cells;
    if (!cells || cells.length !== d.actions) return `game "${d.id}": board.cells has ${cells?.length ?? 0} entries for ${d.actions} actions; give each action its [row, column], or null for a pass`;
    const outside = cells.findIndex((c) => c !== null && (c[0] >= d.board.rows || c[1] >= d.board.cols));
    if (outside >= 0) return `game "${d.id}": board.cells[${outside}] = [${cells[outside]}] is outside the ${d.board.rows} x ${d.board.cols} board`;
  }
  if (d.capabilities?.positions && !sameMoves(d, legacyDeclaration(d.id)))
    return `game "${d.id}": capabilities.positions is true, but Loopdeck has a perfect-play position set only for ${GAME_IDS.filter((id) => GAME_SPECS[id].solver).join(', ')} in the bundled engine's notation; declare positions false`;
  return null;
}

/** Loopdeck's own perfect solver for a declared game: where the game is one of its own, its moves named as Loopdeck names them; else null. */
export function ownSolverOf(d: GameDeclaration): GameSolver | null {
  return isGameId(d.id) && sameMoves(d, bundledDeclaration(d.id)) ? GAME_SPECS[d.id].solver : null;
}

/** Whether two declarations name the same actions the same way on the same board (positions mean the same). */
function sameMoves(a: GameDeclaration, b: GameDeclaration | null): boolean {
  if (b === null || a.actions !== b.actions || a.notation.separator !== b.notation.separator) return false;
  const { rows, cols, moves, cells } = a.board;
  return (
    a.notation.moves.every((m, i) => m === b.notation.moves[i]) &&
    rows === b.board.rows &&
    cols === b.board.cols &&
    moves === b.board.moves &&
    JSON.stringify(cells ?? null) === JSON.stringify(b.board.cells ?? null)
  );
}

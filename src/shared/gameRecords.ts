/**
 * Game records: what the panel's game viewer shows and what
 * `games/iter-NNNN/*.jsonl` holds, one game per line (docs/protocol.md). The
 * engine reports moves and searches in its `game` events; the orchestrator
 * adds who played and writes the files.
 */

import type { GameDeclaration, MoveSearch } from './protocol';

export type { MoveSearch };

/** Where a game was played. */
export type GameKind = 'selfplay' | 'gate' | 'random' | 'ladder' | 'match';

export interface GameRecord {
  kind: GameKind;
  iteration: number;
  /** Player ids, first mover first: "iter-0003", "random", "alphabeta-4". */
  players: [string, string];
  /** Leading plies chosen at random (the arena's shared opening). */
  opening: number;
  /** Moves in the game's notation numbers (1-based columns or cells). */
  moves: number[];
  result: 'first' | 'second' | 'draw';
  /** Per move: the searching player's root, or null for a move that was not searched. */
  search: (MoveSearch | null)[];
}

/** A games file of an iteration, as the viewer lists it. */
export interface GamesFile {
  file: string;
  kind: GameKind;
  games: number;
}

export interface GamesChunk {
  iteration: number;
  file: string;
  records: GameRecord[];
  /** Lines that did not parse as a record, named and skipped. */
  skipped: { line: number; error: string }[];
}

const RESULTS = new Set(['first', 'second', 'draw']);

/** Checks one parsed line against the game's declaration; returns the reason it is not a record, or null. (Whether its moves are legal the engine says: positionBoards.) */
export function recordProblem(value: unknown, game: GameDeclaration): string | null {
  const actions = game.actions;
  if (!value || typeof value !== 'object') return 'not an object';
  const r = value as Partial<GameRecord>;
  if (!Array.isArray(r.players) || r.players.length !== 2 || !r.players.every((p) => typeof p === 'string')) return '"players" must be two player ids';
  if (!Array.isArray(r.moves) || !r.moves.every((m) => Number.isInteger(m) && m >= 1 && m <= actions)) return `"moves" must be moves from 1 to ${actions}, the actions ${game.label} declares`;
  if (!RESULTS.has(r.result as string)) return '"result" must be first, second or draw';
  if (r.search !== undefined && (!Array.isArray(r.search) || r.search.length !== r.moves.length)) return '"search" must have one entry per move';
  const wrong = (r.search ?? []).findIndex((s) => s !== null && (s?.visits?.length !== actions || s?.prior?.length !== actions));
  if (wrong >= 0) return `"search" of move ${wrong + 1} must give visits and prior for each of the ${actions} actions`;
  return null;
}

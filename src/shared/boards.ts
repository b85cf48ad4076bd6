/** A bundled game's positions as the bundled engine's `board` answers them (docs/protocol.md, board). */
import { EMPTY_CELL, PLAYER_PIECES } from './games/notation';
import { resultOf } from './games/results';
import type { GameSpec } from './games/types';
import type { BoardLine } from './protocol';

/** The `board` answer for one position in the game's notation, or `{position, error}`. */
export function boardAnswer(spec: GameSpec, position: string): BoardLine {
  const game = spec.rules;
  try {
    const state = game.parse(position);
    const outcome = game.outcome(state);
    const ply = game.ply(state);
    return {
      position,
      board: game.grid(state).map((row) => row.map((cell) => (cell === 0 ? EMPTY_CELL : PLAYER_PIECES[cell - 1])).join('')),
      to_move: ply % 2 === 0 ? 1 : 2,
      legal: game.legalActions(state).map((a) => a + 1),
      result: outcome === null ? null : resultOf(outcome, ply),
    };
  } catch (error) {
    return { position, error: (error as Error).message };
  }
}

/**
 * The games the bundled engine knows. A new game is one folder beside this
 * file (rules, optional solver, and an index exporting its GameSpec) and one
 * line in GAME_SPECS (and its id in ids.ts). A researcher's own engine may accept others.
 */
import { connect4Spec } from './connect4';
import { othello6Spec } from './othello6';
import { ticTacToeSpec } from './tictactoe';
import { GAME_IDS, isGameId, type GameId } from './ids';
import type { Game, GameSpec } from './types';

export { GAME_IDS, isGameId, type GameId };

export const GAME_SPECS: Readonly<Record<GameId, GameSpec>> = {
  tictactoe: ticTacToeSpec,
  connect4: connect4Spec,
  othello6: othello6Spec,
};

/** A game's spec by id; throws naming the known games. */
export function gameSpec(id: string): GameSpec {
  if (!isGameId(id)) throw new Error(`unknown game "${id}"; known games: ${GAME_IDS.join(', ')}`);
  return GAME_SPECS[id];
}

/** A game's rules by id; throws naming the known games. */
export function getGame(id: string): Game<any> {
  return gameSpec(id).rules;
}

/** The game's name for people, or the id itself for a game this build does not know. */
export function gameLabel(id: string): string {
  return isGameId(id) ? GAME_SPECS[id].label : id;
}

/** Depths of the alpha-beta reference players rated in every run of the game. */
export function referenceDepths(id: GameId): number[] {
  return GAME_SPECS[id].references?.levels.map((r) => r.depth) ?? [];
}

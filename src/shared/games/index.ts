/**
 * The games the bundled engine knows. A new game is one folder beside this
 * file (rules, optional solver, and an index exporting its GameSpec) and one
 * line in REGISTRY. A researcher's own engine may accept others.
 */
import { connect4Spec } from './connect4';
import { ticTacToeSpec } from './tictactoe';
import type { Game, GameSpec } from './types';

const REGISTRY = {
  tictactoe: ticTacToeSpec,
  connect4: connect4Spec,
};

export type GameId = keyof typeof REGISTRY;
export const GAME_SPECS: Readonly<Record<GameId, GameSpec>> = REGISTRY;
export const GAME_IDS = Object.keys(GAME_SPECS) as GameId[];

export function isGameId(value: unknown): value is GameId {
  return typeof value === 'string' && Object.hasOwn(GAME_SPECS, value);
}

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

/** Depths of the alpha-beta reference players rated in every run of the game (none without a solver). */
export function referenceDepths(id: GameId): number[] {
  return GAME_SPECS[id].solver?.references.map((r) => r.depth) ?? [];
}

/** The ids of the games the bundled engine knows (each a folder beside this file, registered in ./index.ts). */
export const GAME_IDS = ['tictactoe', 'connect4', 'othello6'] as const;

export type GameId = (typeof GAME_IDS)[number];

export function isGameId(value: unknown): value is GameId {
  return typeof value === 'string' && (GAME_IDS as readonly string[]).includes(value);
}

/** What any engine's game id looks like (protocol `games`): a word safe in file and folder names. */
export const GAME_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const GAME_ID_RULE = 'an id of 1-64 lowercase letters, digits, ".", "-" or "_"';

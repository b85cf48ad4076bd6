/** The ids of the games the bundled engine knows (each a folder beside this file, registered in ./index.ts). */
export const GAME_IDS = ['tictactoe', 'connect4'] as const;

export type GameId = (typeof GAME_IDS)[number];

export function isGameId(value: unknown): value is GameId {
  return typeof value === 'string' && (GAME_IDS as readonly string[]).includes(value);
}

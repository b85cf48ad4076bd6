/** Games the bundled engine knows. A researcher's own engine may accept others. */
export const GAME_IDS = ['tictactoe', 'connect4'] as const;
export type GameId = (typeof GAME_IDS)[number];

export const GAME_LABELS: Record<GameId, string> = {
  tictactoe: 'Tic-tac-toe',
  connect4: 'Connect Four',
};

export function isGameId(value: unknown): value is GameId {
  return typeof value === 'string' && (GAME_IDS as readonly string[]).includes(value);
}

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

/**
 * Depths of the alpha-beta reference players each game is rated against
 * (besides random). Their nominal Elo (random = 0) was measured by
 * scripts/calibrate-references.ts; the ladder uses it to pick an opponent
 * until a run has rated the references with its own games.
 */
export const REFERENCE_DEPTHS: Record<GameId, number[]> = {
  tictactoe: [1, 2, 4, 9],
  connect4: [1, 2, 4, 6],
};

export const REFERENCE_NOMINAL_ELO: Record<GameId, Record<number, number>> = {
  tictactoe: { 1: 141, 2: 441, 4: 515, 9: 651 },
  connect4: { 1: 760, 2: 1072, 4: 1089, 6: 1181 },
};

/** The bundled engine's games. A new game is one file and one line here. */
import type { GameId } from '../games';
import { connect4 } from './connect4';
import { ticTacToe } from './tictactoe';
import type { Game } from './types';

const GAMES: Record<GameId, Game<any>> = {
  tictactoe: ticTacToe,
  connect4,
};

export function getGame(id: string): Game<any> {
  const game = (GAMES as Record<string, Game<any>>)[id];
  if (!game) throw new Error(`unknown game "${id}"; known games: ${Object.keys(GAMES).join(', ')}`);
  return game;
}

export const knownGames = (): string[] => Object.keys(GAMES);

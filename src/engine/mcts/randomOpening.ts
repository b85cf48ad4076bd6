import type { Game } from '../../shared/games/types';
import type { Rng } from '../../shared/random';

/**
 * Up to `plies` uniformly random moves from the start position. It stops
 * before a move that would end the game, so an opening always leaves a game
 * to play. `moves` are the 0-based actions played.
 */
export function randomOpening<S>(game: Game<S>, plies: number, rng: Rng): { state: S; moves: number[] } {
  let state = game.initial();
  const moves: number[] = [];
  for (let ply = 0; ply < plies; ply++) {
    const legal = game.legalActions(state);
    const action = legal[Math.floor(rng() * legal.length)]!;
    const next = game.play(state, action);
    if (game.outcome(next) !== null) break;
    state = next;
    moves.push(action);
  }
  return { state, moves };
}

/** Messages between the game viewer and its solver worker. */
export interface SolverRequest {
  game: string;
  /** 1-based moves of the game. */
  moves: number[];
  /** Positions before this ply are not solved (too slow). */
  fromPly: number;
}

export interface SolverAnswer {
  /** The position before move `index`. */
  index: number;
  /** Perfect-play value for the mover of each legal move (1-based move -> 1, 0, -1); null when not solved. */
  values: Record<number, -1 | 0 | 1> | null;
}

export type MoveMark = 'keeps' | 'loses' | 'unsolved';

/** Whether the move played keeps the position's game-theoretic value. */
export function markOf(answer: SolverAnswer, move: number): MoveMark {
  if (!answer.values) return 'unsolved';
  const best = Math.max(...Object.values(answer.values));
  return answer.values[move] === best ? 'keeps' : 'loses';
}

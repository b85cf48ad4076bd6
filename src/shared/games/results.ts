/** A finished game's result from Game.outcome, which is for the player to move. */
export function resultOf(outcome: -1 | 0 | 1, ply: number): 'first' | 'second' | 'draw' {
  if (outcome === 0) return 'draw';
  const firstToMove = ply % 2 === 0;
  return (outcome === 1) === firstToMove ? 'first' : 'second';
}

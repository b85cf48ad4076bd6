import { describe, expect, it } from 'vitest';
import { connect4, type Connect4State } from '../../src/shared/games/connect4/rules';
import { createRng } from '../../src/shared/random';
import { Connect4Solver } from '../../src/shared/games/connect4/solver';

/** Plain exhaustive minimax: the reference the solver must agree with. */
function exhaustiveValue(s: Connect4State): number {
  if (s.outcome !== null) return s.outcome;
  let best = -1;
  for (const a of connect4.legalActions(s)) {
    best = Math.max(best, -exhaustiveValue(connect4.play(s, a)));
    if (best === 1) break;
  }
  return best;
}

function randomPosition(rng: () => number, plies: number): Connect4State | null {
  let s = connect4.initial();
  while (s.outcome === null && s.ply < plies) {
    const legal = connect4.legalActions(s);
    s = connect4.play(s, legal[Math.floor(rng() * legal.length)]!);
  }
  return s.outcome === null ? s : null;
}

describe('perfect Connect Four solver', () => {
  const solver = new Connect4Solver();

  it('agrees with exhaustive minimax on every value of late positions, wins, draws and losses alike', () => {
    const rng = createRng(11);
    const seen = new Set<number>();
    let checked = 0;
    while (checked < 40) {
      const s = randomPosition(rng, 29 + Math.floor(rng() * 6));
      if (!s) continue;
      const value = solver.value(s);
      expect(value, s.moves).toBe(exhaustiveValue(s));
      seen.add(value);
      for (const [action, v] of solver.moveValues(s)) expect(v, `${s.moves} then ${action + 1}`).toBe(0 - exhaustiveValue(connect4.play(s, action)));
      checked++;
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('scores an immediate win, and a move that allows one as lost', () => {
    // Player 1 has three in column 1: a win for the player to move.
    expect(solver.value(connect4.parse('121212'))).toBe(1);
    // Player 2 to move after 12121: every column but the first loses at once.
    const s = connect4.parse('12121');
    for (const action of [1, 2, 3, 4, 5, 6]) expect(solver.value(connect4.play(s, action))).toBe(1);
  });
});

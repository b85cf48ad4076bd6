import { describe, expect, it } from 'vitest';
import { connect4, hasFour, type Connect4State } from '../../src/shared/games/connect4/rules';
import { bit } from '../../src/shared/games/connect4/bits';
import { readFileSync } from 'node:fs';
import { GAME_SPECS, gameLabel, getGame } from '../../src/shared/games';
import { positionSetName, stageOf, type PositionSet } from '../../src/shared/positions';
import { ticTacToe } from '../../src/shared/games/tictactoe/rules';
import { othello6, PASS } from '../../src/shared/games/othello6/rules';
import { boardAnswer } from '../../src/shared/boards';
import type { Game } from '../../src/shared/games/types';

const encode = (game: Game<any>, state: unknown) => {
  const out = new Float32Array(game.obsSize);
  game.encode(state, out, 0);
  return out;
};

describe('tic-tac-toe', () => {
  it('knows wins, draws, illegal moves and the notation', () => {
    expect(ticTacToe.outcome(ticTacToe.parse('14253'))).toBe(-1); // X: 1 2 3 across the top
    expect(ticTacToe.outcome(ticTacToe.parse('159'))).toBeNull();
    expect(ticTacToe.outcome(ticTacToe.parse('123574698'))).toBe(0);
    expect(() => ticTacToe.parse('11')).toThrow(/move 2 of "11" \(1\) is illegal/);
    expect(() => ticTacToe.parse('1a')).toThrow(/cells 1-9/);
    expect(ticTacToe.format(ticTacToe.parse('5137'))).toBe('5137');
    expect(ticTacToe.legalActions(ticTacToe.parse('5'))).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
  });
});

describe('Connect Four on bitboards', () => {
  it('finds four in every direction, including lines across the two 32-bit halves', () => {
    expect(connect4.outcome(connect4.parse('1212121'))).toBe(-1); // vertical in column 1
    expect(connect4.outcome(connect4.parse('1122334'))).toBe(-1); // horizontal, bottom row
    expect(connect4.outcome(connect4.parse('4455667'))).toBe(-1); // horizontal across bit 32 (columns 4-7)
    expect(connect4.outcome(connect4.parse('1223433454'))).toBeNull();
    expect(connect4.outcome(connect4.parse('12234334544'))).toBe(-1); // rising diagonal from column 1
    expect(connect4.outcome(connect4.parse('76654554344'))).toBe(-1); // falling diagonal from column 7
    expect(connect4.outcome(connect4.parse('121212'))).toBeNull();
  });

  it('refuses a full column or a column that does not exist', () => {
    expect(() => connect4.parse('1111111')).toThrow(/move 7 of "1111111" \(1\) is illegal: column 1 is full/);
    expect(() => connect4.parse('8')).toThrow(/columns 1-7/);
    expect(connect4.legalActions(connect4.parse('111111'))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('encodes the board from the side to move', () => {
    const s = connect4.parse('4');
    const obs = encode(connect4, s);
    // Second player to move: the first player's stone (bottom of column 4) is "theirs".
    expect(obs[3]).toBe(0);
    expect(obs[42 + 3]).toBe(1);
  });

  it('encodes where a stone can go and which empty cells complete four, checked cell by cell', () => {
    const completesFour = (s: Connect4State, mine: boolean, index: number) => {
      const [lo, hi] = bit(index);
      const owner = mine ? [s.curLo, s.curHi] : [(s.maskLo ^ s.curLo) >>> 0, s.maskHi ^ s.curHi];
      return hasFour((owner[0]! | lo) >>> 0, owner[1]! | hi);
    };
    let seed = 11;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let threatCells = 0;
    for (let g = 0; g < 40; g++) {
      let s = connect4.initial();
      while (connect4.outcome(s) === null) {
        const obs = encode(connect4, s);
        // Into a used batch buffer, at an offset: the same planes, and nothing outside them touched.
        const batch = new Float32Array(3 * connect4.obsSize).fill(7);
        connect4.encode(s, batch, connect4.obsSize);
        expect(batch.subarray(connect4.obsSize, 2 * connect4.obsSize)).toEqual(obs);
        expect(batch[connect4.obsSize - 1]).toBe(7);
        expect(batch[2 * connect4.obsSize]).toBe(7);
        const legal = connect4.legalActions(s);
        for (let c = 0; c < 7; c++)
          for (let r = 0; r < 6; r++) {
            const cell = r * 7 + c;
            const empty = obs[cell] === 0 && obs[42 + cell] === 0;
            const lowestEmpty = empty && (r === 0 || obs[cell - 7] === 1 || obs[42 + cell - 7] === 1);
            expect(obs[84 + cell], `playable ${s.moves} r${r} c${c}`).toBe(lowestEmpty && legal.includes(c) ? 1 : 0);
            expect(obs[126 + cell], `my win ${s.moves} r${r} c${c}`).toBe(empty && completesFour(s, true, c * 7 + r) ? 1 : 0);
            expect(obs[168 + cell], `their win ${s.moves} r${r} c${c}`).toBe(empty && completesFour(s, false, c * 7 + r) ? 1 : 0);
            threatCells += obs[126 + cell]! + obs[168 + cell]!;
          }
        s = connect4.play(s, legal[Math.floor(rand() * legal.length)]!);
      }
    }
    expect(threatCells).toBeGreaterThan(100);
  });
});

describe('Othello 6x6', () => {
  const rows = (notation: string) => othello6.render(othello6.parse(notation)).split('\n');
  it('flips the lines a disc closes, in every direction, and refuses a move that flips nothing', () => {
    expect(rows('')).toEqual(['......', '......', '..OX..', '..XO..', '......', '......']);
    expect(othello6.legalActions(othello6.initial()).map((a) => othello6.format(othello6.play(othello6.initial(), a)))).toEqual(['c2', 'b3', 'e4', 'd5']);
    expect(rows('e4')).toEqual(['......', '......', '..OX..', '..XXX.', '......', '......']);
    // White's e5 flips d4 on the diagonal to its c3, and nothing up the e column, where e3 is empty.
    expect(rows('e4 e5')).toEqual(['......', '......', '..OX..', '..XOX.', '....O.', '......']);
    expect(() => othello6.parse('a1')).toThrow('move 1 of "a1" (a1) is illegal: a1 is not legal after ""');
    expect(() => othello6.parse('e4 z9')).toThrow('move 2 of "e4 z9" is "z9": Othello 6x6 moves are a1-f6 (column, row from the top) or pass');
  });

  it('passes only when a player cannot place a disc, and ends by count when neither can', () => {
    const beforePass = 'e4 e3 d2 c1 b3 c5 f3 b2 d1 a3 a2 a1 b6 f4 f2 c6 b4 d5 e1 f5 d6 e5 b5 f1 e6 a4 a5 f6 b1 a6';
    expect(othello6.legalActions(othello6.parse(beforePass))).toEqual([PASS]);
    expect(othello6.legalActions(othello6.parse(`${beforePass} pass`))).not.toContain(PASS);
    expect(() => othello6.parse(`${beforePass} pass pass`)).toThrow(/is illegal: pass is not legal/);
    const end = othello6.parse(`${beforePass} pass c2 pass e2`);
    expect(othello6.outcome(end)).toBe(-1); // Black to move, and White has more discs
    expect(boardAnswer(GAME_SPECS.othello6, `${beforePass} pass c2 pass e2`)).toMatchObject({ to_move: 1, legal: [], result: 'second' });
    expect(boardAnswer(GAME_SPECS.othello6, 'e4')).toMatchObject({ board: ['......', '......', '..ox..', '..xxx.', '......', '......'], to_move: 2 });
  });

  it('a game can end in a win for the player to move', () => {
    let seed = 11;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const outcomes = new Set<number>();
    for (let g = 0; g < 200; g++) {
      let s = othello6.initial();
      while (s.outcome === null) s = othello6.play(s, s.legal[Math.floor(rand() * s.legal.length)]!);
      outcomes.add(s.outcome);
    }
    expect([...outcomes].sort()).toEqual([-1, 0, 1]);
  });
});

describe('every game', () => {
  const someMoves: Record<string, string> = { tictactoe: '52', connect4: '1122337', othello6: 'e4 e3 d2 c1 b3' };
  for (const spec of Object.values(GAME_SPECS)) {
    const game = spec.rules as Game<any>;
    it(`${game.id}: symmetries map encodings consistently with moves`, () => {
      const state = game.parse(someMoves[game.id]!);
      const obs = encode(game, state);
      expect(game.symmetries.length).toBeGreaterThan(0);
      for (const sym of game.symmetries) {
        // Playing the mapped moves gives the mapped observation.
        const { moves: names, separator } = spec.notation;
        const moves = (separator ? game.format(state).split(separator) : [...game.format(state)]).map((m) => names.indexOf(m));
        let mapped = game.initial();
        for (const m of moves) mapped = game.play(mapped, sym.action.indexOf(m));
        const mappedObs = encode(game, mapped);
        const viaPermutation = Float32Array.from(obs, (_, i) => obs[sym.observation[i]!]!);
        expect(Array.from(mappedObs)).toEqual(Array.from(viaPermutation));
      }
    });
    it(`${game.id}: random games end with a consistent outcome and round-trip the notation`, () => {
      let seed = 7;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      for (let g = 0; g < 50; g++) {
        let s = game.initial();
        while (game.outcome(s) === null) {
          const legal = game.legalActions(s);
          s = game.play(s, legal[Math.floor(rand() * legal.length)]!);
        }
        expect(game.legalActions(s)).toEqual([]);
        expect(game.ply(game.parse(game.format(s)))).toBe(game.ply(s));
      }
    });
  }
  it('an unknown game lists the known ones', () => {
    expect(() => getGame('chess')).toThrow('unknown game "chess"; known games: tictactoe, connect4');
    expect(gameLabel('chess')).toBe('chess');
  });
  it('each game spec matches its registry key, its shipped position set and its stages', () => {
    for (const [id, spec] of Object.entries(GAME_SPECS)) {
      expect(spec.rules.id).toBe(id);
      expect(gameLabel(id)).toBe(spec.label);
      if (spec.references) expect(Math.max(...spec.references.levels.map((r) => r.depth))).toBeLessThanOrEqual(spec.references.maxDepth);
      if (!spec.solver) continue;
      const set = JSON.parse(readFileSync(`data/positions/${positionSetName(spec.rules.id)}.json`, 'utf8')) as PositionSet;
      expect(set.game).toBe(id);
      expect(set.stages).toEqual(spec.solver.positionSet.stages);
      for (const p of set.positions) expect(stageOf(spec.rules.id, p.ply)).toBe(p.stage);
    }
  });
});

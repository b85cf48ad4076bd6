/**
 * Connect Four (7 columns, 6 rows) on bitboards. Bit col*7 + row (row 0 at
 * the bottom; the 7th bit of each column is a sentinel), split into two
 * 32-bit halves because JavaScript's bitwise operators work on 32 bits.
 */
import type { Game, Symmetry } from './types';

export interface Connect4State {
  /** Stones of the player to move. */
  readonly curLo: number;
  readonly curHi: number;
  /** All stones. */
  readonly maskLo: number;
  readonly maskHi: number;
  readonly ply: number;
  readonly moves: string;
  readonly outcome: -1 | 0 | null;
}

const COLS = 7;
const ROWS = 6;

/** 64-bit right shift of (lo, hi) by n < 32, returning the low and high halves. */
function shr(lo: number, hi: number, n: number): [number, number] {
  return [((lo >>> n) | (hi << (32 - n))) >>> 0, hi >>> n];
}

/** Whether the bitboard has four in a row. */
export function hasFour(lo: number, hi: number): boolean {
  for (const d of [1, 7, 6, 8]) {
    const [sLo, sHi] = shr(lo, hi, d);
    const mLo = (lo & sLo) >>> 0;
    const mHi = hi & sHi;
    const [tLo, tHi] = shr(mLo, mHi, 2 * d);
    if ((mLo & tLo) !== 0 || (mHi & tHi) !== 0) return true;
  }
  return false;
}

function bit(index: number): [number, number] {
  return index < 32 ? [(1 << index) >>> 0, 0] : [0, 1 << (index - 32)];
}

function isSet(lo: number, hi: number, index: number): boolean {
  return index < 32 ? ((lo >>> index) & 1) === 1 : ((hi >>> (index - 32)) & 1) === 1;
}

function height(s: Connect4State, col: number): number {
  let h = 0;
  while (h < ROWS && isSet(s.maskLo, s.maskHi, col * 7 + h)) h++;
  return h;
}

const MIRROR: Symmetry = (() => {
  const observation = new Int32Array(2 * ROWS * COLS);
  for (let plane = 0; plane < 2; plane++)
    for (let r = 0; r < ROWS; r++)
      for (let c = 0; c < COLS; c++) observation[plane * 42 + r * COLS + c] = plane * 42 + r * COLS + (COLS - 1 - c);
  const action = new Int32Array(COLS);
  for (let c = 0; c < COLS; c++) action[c] = COLS - 1 - c;
  return { observation, action };
})();

export const connect4: Game<Connect4State> = {
  id: 'connect4',
  actions: COLS,
  obsSize: 2 * ROWS * COLS,
  maxPlies: ROWS * COLS,
  initial: () => ({ curLo: 0, curHi: 0, maskLo: 0, maskHi: 0, ply: 0, moves: '', outcome: null }),
  legalActions(s) {
    if (s.outcome !== null) return [];
    const legal: number[] = [];
    for (let c = 0; c < COLS; c++) if (!isSet(s.maskLo, s.maskHi, c * 7 + ROWS - 1)) legal.push(c);
    return legal;
  },
  play(s, action) {
    if (s.outcome !== null) throw new Error(`the game is over after "${s.moves}"`);
    if (!(action >= 0 && action < COLS)) throw new Error(`column ${action + 1} does not exist`);
    const h = height(s, action);
    if (h >= ROWS) throw new Error(`column ${action + 1} is full after "${s.moves}"`);
    const [bLo, bHi] = bit(action * 7 + h);
    // The mover's stones after the move; they become the opponent's for the next state.
    const moverLo = (s.curLo | bLo) >>> 0;
    const moverHi = s.curHi | bHi;
    const maskLo = (s.maskLo | bLo) >>> 0;
    const maskHi = s.maskHi | bHi;
    const ply = s.ply + 1;
    const outcome = hasFour(moverLo, moverHi) ? -1 : ply === ROWS * COLS ? 0 : null;
    return { curLo: (moverLo ^ maskLo) >>> 0, curHi: moverHi ^ maskHi, maskLo, maskHi, ply, moves: s.moves + String(action + 1), outcome };
  },
  ply: (s) => s.ply,
  outcome: (s) => s.outcome,
  encode(s, out, offset) {
    for (let c = 0; c < COLS; c++)
      for (let r = 0; r < ROWS; r++) {
        const i = c * 7 + r;
        const mine = isSet(s.curLo, s.curHi, i);
        const any = isSet(s.maskLo, s.maskHi, i);
        out[offset + r * COLS + c] = mine ? 1 : 0;
        out[offset + 42 + r * COLS + c] = any && !mine ? 1 : 0;
      }
  },
  symmetries: [MIRROR],
  parse(notation) {
    let s = connect4.initial();
    for (const [i, ch] of [...notation.trim()].entries()) {
      if (ch < '1' || ch > '7') throw new Error(`move ${i + 1} of "${notation}" is "${ch}": Connect Four moves are columns 1-7`);
      try {
        s = connect4.play(s, Number(ch) - 1);
      } catch (error) {
        throw new Error(`move ${i + 1} of "${notation}" (${ch}) is illegal: ${(error as Error).message}`);
      }
    }
    return s;
  },
  format: (s) => s.moves,
  render(s) {
    const toMoveIsFirst = s.ply % 2 === 0;
    const rows: string[] = [];
    for (let r = ROWS - 1; r >= 0; r--) {
      let line = '';
      for (let c = 0; c < COLS; c++) {
        const i = c * 7 + r;
        if (!isSet(s.maskLo, s.maskHi, i)) line += '.';
        else line += isSet(s.curLo, s.curHi, i) === toMoveIsFirst ? 'X' : 'O';
      }
      rows.push(line);
    }
    return rows.join('\n');
  },
};

/**
 * Connect Four (7 columns, 6 rows) on bitboards. Bit col*7 + row (row 0 at
 * the bottom; the 7th bit of each column is a sentinel), split into two
 * 32-bit halves because JavaScript's bitwise operators work on 32 bits.
 */
import { bit, HEIGHT as ROWS, playableCells, WIDTH as COLS, winningCells, type Bits } from './bits';
import type { Cell, Game, Symmetry } from '../types';

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

const CELLS = ROWS * COLS;
/**
 * Observation planes, each 6x7 (row 0 at the bottom, row-major), from the
 * point of view of the player to move. The last three are functions of the
 * first two, given to the net because a small MLP learns them slowly: where
 * a stone can go now, and the empty cells that would complete four.
 */
const PLANES = ['mine', 'theirs', 'playable', 'my winning cells', 'their winning cells'] as const;

const DIRECTIONS = [1, 7, 6, 8];

/** Whether the bitboard (two 32-bit halves) has four in a row: b & b>>d & b>>2d & b>>3d, on 64 bits. */
export function hasFour(lo: number, hi: number): boolean {
  for (let k = 0; k < 4; k++) {
    const d = DIRECTIONS[k]!;
    // m = b & (b >> d)
    const mLo = (lo & (((lo >>> d) | (hi << (32 - d))) >>> 0)) >>> 0;
    const mHi = hi & (hi >>> d);
    // m & (m >> 2d); 2d <= 16 < 32
    const d2 = 2 * d;
    if ((mLo & (((mLo >>> d2) | (mHi << (32 - d2))) >>> 0)) !== 0 || (mHi & (mHi >>> d2)) !== 0) return true;
  }
  return false;
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
  const observation = new Int32Array(PLANES.length * CELLS);
  for (let plane = 0; plane < PLANES.length; plane++)
    for (let r = 0; r < ROWS; r++) for (let c = 0; c < COLS; c++) observation[plane * CELLS + r * COLS + c] = plane * CELLS + r * COLS + (COLS - 1 - c);
  const action = new Int32Array(COLS);
  for (let c = 0; c < COLS; c++) action[c] = COLS - 1 - c;
  return { observation, action };
})();

/** The observation cell (row-major, row 0 at the bottom) of each board bit; -1 for the sentinel bits. */
const CELL_OF_BIT = (() => {
  const cells = new Int8Array(49).fill(-1);
  for (let c = 0; c < COLS; c++) for (let r = 0; r < ROWS; r++) cells[c * 7 + r] = r * COLS + c;
  return cells;
})();

/** Sets out[offset + cell] = 1 for each set bit of the board (lo, hi); the caller has cleared the plane. */
function setCells(out: Float32Array, offset: number, lo: number, hi: number): void {
  for (let x = lo; x !== 0; x &= x - 1) out[offset + CELL_OF_BIT[31 - Math.clz32(x & -x)]!] = 1;
  for (let x = hi; x !== 0; x &= x - 1) out[offset + CELL_OF_BIT[63 - Math.clz32(x & -x)]!] = 1;
}

// Scratch boards for encode().
const playable: Bits = { lo: 0, hi: 0 };
const myWins: Bits = { lo: 0, hi: 0 };
const theirWins: Bits = { lo: 0, hi: 0 };

export const connect4: Game<Connect4State> = {
  id: 'connect4',
  actions: COLS,
  obsSize: PLANES.length * CELLS,
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
    // Hot: called for every leaf MCTS evaluates. Clear the planes, then set the cells of each board's set bits.
    out.fill(0, offset, offset + PLANES.length * CELLS);
    playableCells(s.maskLo, s.maskHi, playable);
    winningCells(s.curLo, s.curHi, s.maskLo, s.maskHi, myWins);
    const theirsLo = (s.maskLo ^ s.curLo) >>> 0;
    const theirsHi = s.maskHi ^ s.curHi;
    winningCells(theirsLo, theirsHi, s.maskLo, s.maskHi, theirWins);
    setCells(out, offset, s.curLo, s.curHi);
    setCells(out, offset + CELLS, theirsLo, theirsHi);
    setCells(out, offset + 2 * CELLS, playable.lo, playable.hi);
    setCells(out, offset + 3 * CELLS, myWins.lo, myWins.hi);
    setCells(out, offset + 4 * CELLS, theirWins.lo, theirWins.hi);
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
  grid(s) {
    const toMoveIsFirst = s.ply % 2 === 0;
    return Array.from({ length: ROWS }, (_, top) =>
      Array.from({ length: COLS }, (_, c): Cell => {
        const i = c * 7 + (ROWS - 1 - top);
        if (!isSet(s.maskLo, s.maskHi, i)) return 0;
        return isSet(s.curLo, s.curHi, i) === toMoveIsFirst ? 1 : 2;
      }),
    );
  },
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

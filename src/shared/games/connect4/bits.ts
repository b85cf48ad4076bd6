/**
 * Bitboard arithmetic for Connect Four, shared by the game's encoding and the
 * perfect solver. The layout is the game's: bit col*7 + row (row 0 at the
 * bottom, a sentinel bit on top of each column), held in two 32-bit halves
 * because JavaScript's bitwise operators work on 32 bits. Every shift here
 * is below 32 bits.
 */
export const WIDTH = 7;
export const HEIGHT = 6;

/** A 49-bit board as two halves; functions write their result into one of these to avoid allocating. */
export interface Bits {
  lo: number;
  hi: number;
}

const HI_BITS = 0x1ffff; // bits 32..48
/** Shifts between neighbours along a row and the two diagonals. */
const LINE_SHIFTS = [7, 6, 8];

/** The two 32-bit halves of a board with only bit `index` set. */
export function bit(index: number): [number, number] {
  return index < 32 ? [(1 << index) >>> 0, 0] : [0, 1 << (index - 32)];
}

export const COLUMN: Bits[] = [];
const bottom: Bits = { lo: 0, hi: 0 };
const board: Bits = { lo: 0, hi: 0 };
for (let c = 0; c < WIDTH; c++) {
  const column: Bits = { lo: 0, hi: 0 };
  for (let r = 0; r < HEIGHT; r++) {
    const [lo, hi] = bit(c * 7 + r);
    column.lo = (column.lo | lo) >>> 0;
    column.hi |= hi;
  }
  COLUMN.push(column);
  const [bLo, bHi] = bit(c * 7);
  bottom.lo = (bottom.lo | bLo) >>> 0;
  bottom.hi |= bHi;
  board.lo = (board.lo | column.lo) >>> 0;
  board.hi |= column.hi;
}
const BOTTOM_LO = bottom.lo;
const BOTTOM_HI = bottom.hi;
const BOARD_LO = board.lo;
const BOARD_HI = board.hi;

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

// 64-bit shifts of (lo, hi) by 0 < n < 32, masked to the board's 49 bits.
const shlLo = (lo: number, n: number) => (lo << n) >>> 0;
const shlHi = (lo: number, hi: number, n: number) => ((hi << n) | (lo >>> (32 - n))) & HI_BITS;
export const shrLo = (lo: number, hi: number, n: number) => ((lo >>> n) | (hi << (32 - n))) >>> 0;
export const shrHi = (hi: number, n: number) => hi >>> n;

/** Empty cells (playable now or not) that would complete four for the player owning `p`; `m` is every stone. */
export function winningCells(pLo: number, pHi: number, mLo: number, mHi: number, out: Bits): void {
  // vertical
  let rLo = shlLo(pLo, 1) & shlLo(pLo, 2) & shlLo(pLo, 3);
  let rHi = shlHi(pLo, pHi, 1) & shlHi(pLo, pHi, 2) & shlHi(pLo, pHi, 3);
  for (const d of LINE_SHIFTS) {
    // p = (pos << d) & (pos << 2d); r |= p & (pos << 3d) | p & (pos >> d)
    let aLo = shlLo(pLo, d) & shlLo(pLo, 2 * d);
    let aHi = shlHi(pLo, pHi, d) & shlHi(pLo, pHi, 2 * d);
    rLo |= (aLo & shlLo(pLo, 3 * d)) | (aLo & shrLo(pLo, pHi, d));
    rHi |= (aHi & shlHi(pLo, pHi, 3 * d)) | (aHi & shrHi(pHi, d));
    // p = (pos >> d) & (pos >> 2d); r |= p & (pos << d) | p & (pos >> 3d)
    aLo = shrLo(pLo, pHi, d) & shrLo(pLo, pHi, 2 * d);
    aHi = shrHi(pHi, d) & shrHi(pHi, 2 * d);
    rLo |= (aLo & shlLo(pLo, d)) | (aLo & shrLo(pLo, pHi, 3 * d));
    rHi |= (aHi & shlHi(pLo, pHi, d)) | (aHi & shrHi(pHi, 3 * d));
  }
  out.lo = (rLo & (BOARD_LO ^ mLo)) >>> 0;
  out.hi = rHi & (BOARD_HI ^ mHi);
}

/** Cells where a stone can be played now: (mask + bottom) & board. */
export function playableCells(mLo: number, mHi: number, out: Bits): void {
  const sum = mLo + BOTTOM_LO;
  const carry = sum > 0xffffffff ? 1 : 0;
  out.lo = (sum >>> 0) & BOARD_LO;
  out.hi = (mHi + BOTTOM_HI + carry) & BOARD_HI;
}

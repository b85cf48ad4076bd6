/**
 * A perfect Connect Four solver: negamax with alpha-beta, a transposition
 * table, null-window iterative deepening, threat-count move ordering and
 * pruning of moves that hand the opponent a win (the method of Pascal Pons'
 * well-known solver). It answers the game-theoretic value (win, draw or loss
 * with perfect play) of a position, and so which moves keep that value.
 *
 * Bitboards use the game's layout (bit col*7 + row, a sentinel bit per
 * column) in two 32-bit halves; every shift here is below 32 bits.
 */
import { bit, connect4, type Connect4State } from '../games/connect4';

const WIDTH = 7;
const HEIGHT = 6;
const CELLS = WIDTH * HEIGHT;
const HI_BITS = 0x1ffff; // bits 32..48
const MIN_SCORE = -CELLS / 2 + 3;
const COLUMN_ORDER = [3, 2, 4, 1, 5, 0, 6];
/** Shifts between neighbours along a row and the two diagonals. */
const LINE_SHIFTS = [7, 6, 8];

// Masks as [lo, hi] pairs.
const BOTTOM = [0, 0];
const BOARD = [0, 0];
const COLUMN: [number, number][] = [];
for (let c = 0; c < WIDTH; c++) {
  const column: [number, number] = [0, 0];
  for (let r = 0; r < HEIGHT; r++) {
    const [lo, hi] = bit(c * 7 + r);
    column[0] = (column[0] | lo) >>> 0;
    column[1] |= hi;
  }
  COLUMN.push(column);
  const [bLo, bHi] = bit(c * 7);
  BOTTOM[0] = (BOTTOM[0]! | bLo) >>> 0;
  BOTTOM[1]! |= bHi;
  BOARD[0] = (BOARD[0]! | column[0]) >>> 0;
  BOARD[1]! |= column[1];
}
const BOTTOM_LO = BOTTOM[0]!;
const BOTTOM_HI = BOTTOM[1]!;
const BOARD_LO = BOARD[0]!;
const BOARD_HI = BOARD[1]!;

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

// 64-bit shifts of (lo, hi) by 0 < n < 32, masked to the board's 49 bits.
const shlLo = (lo: number, n: number) => (lo << n) >>> 0;
const shlHi = (lo: number, hi: number, n: number) => ((hi << n) | (lo >>> (32 - n))) & HI_BITS;
const shrLo = (lo: number, hi: number, n: number) => ((lo >>> n) | (hi << (32 - n))) >>> 0;
const shrHi = (hi: number, n: number) => hi >>> n;

// Result registers of winningCells (avoids allocating a pair per call).
let winLo = 0;
let winHi = 0;

/** Empty cells that would complete four for the player owning `p`: sets winLo/winHi. */
function winningCells(pLo: number, pHi: number, mLo: number, mHi: number): void {
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
  winLo = (rLo & (BOARD_LO ^ mLo)) >>> 0;
  winHi = rHi & (BOARD_HI ^ mHi);
}

// Result registers of possible().
let posLo = 0;
let posHi = 0;

/** Cells where a stone can be played now: (mask + bottom) & board. */
function possible(mLo: number, mHi: number): void {
  const sum = mLo + BOTTOM_LO;
  const carry = sum > 0xffffffff ? 1 : 0;
  posLo = (sum >>> 0) & BOARD_LO;
  posHi = (mHi + BOTTOM_HI + carry) & BOARD_HI;
}

const TABLE_SIZE = 8_388_617; // a prime near 2^23

/** Scores follow the usual convention: (cells left + 1) / 2 for a win by the player to move, 0 a draw, negative a loss. */
export class Connect4Solver {
  private readonly keys = new Float64Array(TABLE_SIZE);
  private readonly values = new Int8Array(TABLE_SIZE);
  /** Positions searched since the solver was made. */
  nodes = 0;

  /** Value for the player to move: 1 win, 0 draw, -1 loss, with perfect play from both sides. */
  value(state: Connect4State): -1 | 0 | 1 {
    if (state.outcome !== null) return state.outcome;
    return Math.sign(this.solve(state.curLo, state.curHi, state.maskLo, state.maskHi, state.ply, true)) as -1 | 0 | 1;
  }

  /** The value, for the mover, of each legal move (0-based column -> 1 win, 0 draw, -1 loss). */
  moveValues(state: Connect4State): Map<number, -1 | 0 | 1> {
    const values = new Map<number, -1 | 0 | 1>();
    for (const action of connect4.legalActions(state)) {
      const child = connect4.play(state, action);
      // 0 - v, not -v: a draw must stay 0, not -0.
      values.set(action, child.outcome === -1 ? 1 : child.outcome === 0 ? 0 : ((0 - this.value(child)) as -1 | 0 | 1));
    }
    return values;
  }

  /** Moves (0-based columns) that keep the position's value. */
  optimalMoves(state: Connect4State): number[] {
    const values = this.moveValues(state);
    const best = Math.max(...values.values());
    return [...values].filter(([, v]) => v === best).map(([a]) => a);
  }

  private solve(cLo: number, cHi: number, mLo: number, mHi: number, ply: number, weak: boolean): number {
    winningCells(cLo, cHi, mLo, mHi);
    possible(mLo, mHi);
    if ((winLo & posLo) !== 0 || (winHi & posHi) !== 0) return Math.trunc((CELLS + 1 - ply) / 2);
    let min = weak ? -1 : -Math.trunc((CELLS - ply) / 2);
    let max = weak ? 1 : Math.trunc((CELLS + 1 - ply) / 2);
    while (min < max) {
      let med = min + Math.trunc((max - min) / 2);
      if (med <= 0 && Math.trunc(min / 2) < med) med = Math.trunc(min / 2);
      else if (med >= 0 && Math.trunc(max / 2) > med) med = Math.trunc(max / 2);
      const r = this.negamax(cLo, cHi, mLo, mHi, ply, med, med + 1);
      if (r <= med) max = r;
      else min = r;
    }
    return min;
  }

  /** Requires that the player to move cannot win at once. */
  private negamax(cLo: number, cHi: number, mLo: number, mHi: number, ply: number, alpha: number, beta: number): number {
    this.nodes++;
    // Moves that do not lose at once.
    possible(mLo, mHi);
    let nLo = posLo;
    let nHi = posHi;
    winningCells((cLo ^ mLo) >>> 0, cHi ^ mHi, mLo, mHi);
    const oppLo = winLo;
    const oppHi = winHi;
    const forcedLo = (nLo & oppLo) >>> 0;
    const forcedHi = nHi & oppHi;
    if (forcedLo !== 0 || forcedHi !== 0) {
      if (popcount32(forcedLo) + popcount32(forcedHi) > 1) return -Math.trunc((CELLS - ply) / 2);
      nLo = forcedLo;
      nHi = forcedHi;
    }
    // Never play just below an opponent's winning cell.
    nLo = (nLo & ~shrLo(oppLo, oppHi, 1)) >>> 0;
    nHi = nHi & ~shrHi(oppHi, 1);
    if (nLo === 0 && nHi === 0) return -Math.trunc((CELLS - ply) / 2);
    if (ply >= CELLS - 2) return 0;

    const lower = -Math.trunc((CELLS - 2 - ply) / 2);
    if (alpha < lower) {
      alpha = lower;
      if (alpha >= beta) return alpha;
    }
    let upper = Math.trunc((CELLS - 1 - ply) / 2);
    const key = (cHi + mHi) * 4294967296 + (cLo + mLo);
    const slot = key % TABLE_SIZE;
    if (this.keys[slot] === key && this.values[slot] !== 0) upper = this.values[slot]! + MIN_SCORE - 1;
    if (beta > upper) {
      beta = upper;
      if (alpha >= beta) return beta;
    }

    // Order moves by how many winning cells they leave the mover, centre first on ties.
    const moveLo: number[] = [];
    const moveHi: number[] = [];
    const scores: number[] = [];
    for (const c of COLUMN_ORDER) {
      const col = COLUMN[c]!;
      const lo = (nLo & col[0]) >>> 0;
      const hi = nHi & col[1];
      if (lo === 0 && hi === 0) continue;
      winningCells((cLo | lo) >>> 0, cHi | hi, mLo, mHi);
      const score = popcount32(winLo) + popcount32(winHi);
      let i = scores.length;
      while (i > 0 && scores[i - 1]! < score) {
        scores[i] = scores[i - 1]!;
        moveLo[i] = moveLo[i - 1]!;
        moveHi[i] = moveHi[i - 1]!;
        i--;
      }
      scores[i] = score;
      moveLo[i] = lo;
      moveHi[i] = hi;
    }
    for (let i = 0; i < scores.length; i++) {
      // Play: the opponent becomes the player to move.
      const m2Lo = (mLo | moveLo[i]!) >>> 0;
      const m2Hi = mHi | moveHi[i]!;
      const score = -this.negamax((cLo ^ mLo) >>> 0, cHi ^ mHi, m2Lo, m2Hi, ply + 1, -beta, -alpha);
      if (score >= beta) return score;
      if (score > alpha) alpha = score;
    }
    this.keys[slot] = key;
    this.values[slot] = alpha - MIN_SCORE + 1;
    return alpha;
  }
}

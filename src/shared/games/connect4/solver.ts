/**
 * A perfect Connect Four solver: negamax with alpha-beta, a transposition
 * table, null-window iterative deepening, threat-count move ordering and
 * pruning of moves that hand the opponent a win (the method of Pascal Pons'
 * well-known solver). It answers the game-theoretic value (win, draw or loss
 * with perfect play) of a position, and so which moves keep that value.
 *
 * Bitboards use the game's layout and helpers (games/connect4Bits.ts).
 */
import { connect4, type Connect4State } from './rules';
import { COLUMN, HEIGHT, WIDTH, playableCells, popcount32, shrHi, shrLo, winningCells, type Bits } from './bits';

const CELLS = WIDTH * HEIGHT;
const MIN_SCORE = -CELLS / 2 + 3;
const COLUMN_ORDER = [3, 2, 4, 1, 5, 0, 6];

// Result registers (avoid allocating a pair per call).
const win: Bits = { lo: 0, hi: 0 };
const pos: Bits = { lo: 0, hi: 0 };

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
    winningCells(cLo, cHi, mLo, mHi, win);
    playableCells(mLo, mHi, pos);
    if ((win.lo & pos.lo) !== 0 || (win.hi & pos.hi) !== 0) return Math.trunc((CELLS + 1 - ply) / 2);
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
    playableCells(mLo, mHi, pos);
    let nLo = pos.lo;
    let nHi = pos.hi;
    winningCells((cLo ^ mLo) >>> 0, cHi ^ mHi, mLo, mHi, win);
    const oppLo = win.lo;
    const oppHi = win.hi;
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
      const lo = (nLo & col.lo) >>> 0;
      const hi = nHi & col.hi;
      if (lo === 0 && hi === 0) continue;
      winningCells((cLo | lo) >>> 0, cHi | hi, mLo, mHi, win);
      const score = popcount32(win.lo) + popcount32(win.hi);
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

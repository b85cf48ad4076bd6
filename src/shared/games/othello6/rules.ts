/**
 * Othello on a 6 x 6 board. Actions 0-35 place a disc on row r, column c (r * 6 + c, row 0 at the
 * top); action 36 passes, the only legal action when a player has no placement but the opponent
 * has one. The game ends when neither player can place a disc; the player with more discs wins.
 */
import type { Cell, Game, Symmetry } from '../types';

export const SIZE = 6;
export const CELLS = SIZE * SIZE;
export const PASS = CELLS;
const DIRECTIONS = [-SIZE - 1, -SIZE, -SIZE + 1, -1, 1, SIZE - 1, SIZE, SIZE + 1];
const COLUMN_STEP = [-1, 0, 1, -1, 1, -1, 0, 1];

export interface OthelloState {
  /** 0 empty, 1 the first player's disc (Black), 2 the second's (White). */
  readonly cells: Uint8Array;
  readonly ply: number;
  /** 0-based actions so far. */
  readonly moves: readonly number[];
  /** Legal actions of the player to move: placements, or [PASS]; empty when the game is over. */
  readonly legal: readonly number[];
  readonly outcome: -1 | 0 | 1 | null;
}

/** The discs a disc of `player` on `cell` would flip (empty when the placement is illegal). */
export function flips(cells: Uint8Array, player: number, cell: number): number[] {
  if (cells[cell] !== 0) return [];
  const opponent = 3 - player;
  const flipped: number[] = [];
  for (let d = 0; d < 8; d++) {
    const line: number[] = [];
    let at = cell;
    let col = cell % SIZE;
    for (;;) {
      col += COLUMN_STEP[d]!;
      at += DIRECTIONS[d]!;
      if (col < 0 || col >= SIZE || at < 0 || at >= CELLS || cells[at] !== opponent) break;
      line.push(at);
    }
    if (line.length > 0 && col >= 0 && col < SIZE && at >= 0 && at < CELLS && cells[at] === player) flipped.push(...line);
  }
  return flipped;
}

export function placements(cells: Uint8Array, player: number): number[] {
  const legal: number[] = [];
  for (let cell = 0; cell < CELLS; cell++) if (cells[cell] === 0 && flips(cells, player, cell).length > 0) legal.push(cell);
  return legal;
}

/** The state with `cells`, the player to move given by `ply`: its legal actions, or the outcome. */
function settle(cells: Uint8Array, ply: number, moves: readonly number[]): OthelloState {
  const player = (ply % 2) + 1;
  const mine = placements(cells, player);
  if (mine.length > 0) return { cells, ply, moves, legal: mine, outcome: null };
  if (placements(cells, 3 - player).length > 0) return { cells, ply, moves, legal: [PASS], outcome: null };
  let balance = 0;
  for (const c of cells) balance += c === player ? 1 : c === 0 ? 0 : -1;
  return { cells, ply, moves, legal: [], outcome: balance > 0 ? 1 : balance < 0 ? -1 : 0 };
}

export const MOVE_NAMES = [...Array.from({ length: CELLS }, (_, a) => `${'abcdef'[a % SIZE]}${Math.floor(a / SIZE) + 1}`), 'pass'];

/**
 * The symmetries that keep the start position (the half-turn and the two diagonal mirrors): the
 * quarter-turns and the straight mirrors swap the centre's colours, giving positions no game reaches.
 */
function symmetries(): Symmetry[] {
  const at = (r: number, c: number) => r * SIZE + c;
  const n = SIZE - 1;
  const transforms: ((r: number, c: number) => number)[] = [
    (r, c) => at(c, n - r),
    (r, c) => at(n - r, n - c),
    (r, c) => at(n - c, r),
    (r, c) => at(r, n - c),
    (r, c) => at(n - r, c),
    (r, c) => at(c, r),
    (r, c) => at(n - c, n - r),
  ];
  const start = othello6Start();
  return transforms
    .filter((t) => start.every((v, i) => start[t(Math.floor(i / SIZE), i % SIZE)] === v))
    .map((t) => {
      const action = new Int32Array(CELLS + 1);
      const observation = new Int32Array(3 * CELLS);
      for (let r = 0; r < SIZE; r++)
        for (let c = 0; c < SIZE; c++) {
          action[at(r, c)] = t(r, c);
          for (let plane = 0; plane < 3; plane++) observation[plane * CELLS + at(r, c)] = plane * CELLS + t(r, c);
        }
      action[PASS] = PASS;
      return { observation, action };
    });
}

function othello6Start(): Uint8Array {
  const cells = new Uint8Array(CELLS);
  const m = SIZE / 2;
  cells[(m - 1) * SIZE + m - 1] = cells[m * SIZE + m] = 2;
  cells[(m - 1) * SIZE + m] = cells[m * SIZE + m - 1] = 1;
  return cells;
}

export const othello6: Game<OthelloState> = {
  id: 'othello6',
  actions: CELLS + 1,
  // My discs, their discs, and where I may place one (a feature a small MLP learns slowly).
  obsSize: 3 * CELLS,
  // 32 placements, and at most a pass before each of them and one more.
  maxPlies: 2 * (CELLS - 4) + 1,
  initial: () => settle(othello6Start(), 0, []),
  legalActions: (s) => [...s.legal],
  play(s, action) {
    if (!s.legal.includes(action)) throw new Error(`${MOVE_NAMES[action] ?? `action ${action + 1}`} is not legal after "${othello6.format(s)}"`);
    const cells = s.cells.slice();
    if (action !== PASS) {
      const player = (s.ply % 2) + 1;
      for (const c of flips(cells, player, action)) cells[c] = player;
      cells[action] = player;
    }
    return settle(cells, s.ply + 1, [...s.moves, action]);
  },
  ply: (s) => s.ply,
  outcome: (s) => s.outcome,
  encode(s, out, offset) {
    const me = (s.ply % 2) + 1;
    out.fill(0, offset, offset + 3 * CELLS);
    for (let i = 0; i < CELLS; i++) {
      const v = s.cells[i]!;
      if (v === me) out[offset + i] = 1;
      else if (v !== 0) out[offset + CELLS + i] = 1;
    }
    for (const a of s.legal) if (a !== PASS) out[offset + 2 * CELLS + a] = 1;
  },
  symmetries: symmetries(),
  parse(notation) {
    let s = othello6.initial();
    const tokens = notation.trim() === '' ? [] : notation.trim().split(/\s+/);
    for (const [i, token] of tokens.entries()) {
      const action = MOVE_NAMES.indexOf(token);
      if (action < 0) throw new Error(`move ${i + 1} of "${notation}" is "${token}": Othello 6x6 moves are a1-f6 (column, row from the top) or pass`);
      try {
        s = othello6.play(s, action);
      } catch (error) {
        throw new Error(`move ${i + 1} of "${notation}" (${token}) is illegal: ${(error as Error).message}`);
      }
    }
    return s;
  },
  format: (s) => s.moves.map((a) => MOVE_NAMES[a]).join(' '),
  grid: (s) => Array.from({ length: SIZE }, (_, r) => Array.from(s.cells.subarray(r * SIZE, r * SIZE + SIZE)) as Cell[]),
  render: (s) =>
    othello6
      .grid(s)
      .map((row) => row.map((c) => '.XO'[c]).join(''))
      .join('\n'),
};

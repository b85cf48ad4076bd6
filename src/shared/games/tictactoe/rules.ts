/** Tic-tac-toe. Cells 0-8 row by row from the top left; notation 1-9. */
import type { Cell, Game, Symmetry } from '../types';

export interface TicTacToeState {
  /** 0 empty, 1 first player (X), 2 second player (O). */
  readonly cells: Uint8Array;
  readonly ply: number;
  readonly moves: string;
  readonly outcome: -1 | 0 | null;
}

const LINES = [
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
  [0, 3, 6],
  [1, 4, 7],
  [2, 5, 8],
  [0, 4, 8],
  [2, 4, 6],
];

function cellMaps(): Int32Array[] {
  const at = (r: number, c: number) => r * 3 + c;
  const transforms: ((r: number, c: number) => number)[] = [
    (r, c) => at(c, 2 - r), // rotate 90
    (r, c) => at(2 - r, 2 - c), // rotate 180
    (r, c) => at(2 - c, r), // rotate 270
    (r, c) => at(r, 2 - c), // mirror
    (r, c) => at(2 - r, c), // flip
    (r, c) => at(c, r), // transpose
    (r, c) => at(2 - c, 2 - r), // anti-transpose
  ];
  return transforms.map((t) => {
    const map = new Int32Array(9);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) map[at(r, c)] = t(r, c);
    return map;
  });
}

const SYMMETRIES: Symmetry[] = cellMaps().map((map) => {
  const observation = new Int32Array(18);
  for (let i = 0; i < 9; i++) {
    observation[i] = map[i]!;
    observation[9 + i] = 9 + map[i]!;
  }
  return { observation, action: map };
});

function winner(cells: Uint8Array, player: number): boolean {
  return LINES.some(([a, b, c]) => cells[a!] === player && cells[b!] === player && cells[c!] === player);
}

export const ticTacToe: Game<TicTacToeState> = {
  id: 'tictactoe',
  actions: 9,
  obsSize: 18,
  maxPlies: 9,
  initial: () => ({ cells: new Uint8Array(9), ply: 0, moves: '', outcome: null }),
  legalActions(s) {
    if (s.outcome !== null) return [];
    const legal: number[] = [];
    for (let i = 0; i < 9; i++) if (s.cells[i] === 0) legal.push(i);
    return legal;
  },
  play(s, action) {
    if (s.outcome !== null) throw new Error(`the game is over after ${s.moves}`);
    if (!(action >= 0 && action < 9) || s.cells[action] !== 0) throw new Error(`cell ${action + 1} is not free after "${s.moves}"`);
    const cells = s.cells.slice();
    const player = (s.ply % 2) + 1;
    cells[action] = player;
    const ply = s.ply + 1;
    const outcome = winner(cells, player) ? -1 : ply === 9 ? 0 : null;
    return { cells, ply, moves: s.moves + String(action + 1), outcome };
  },
  ply: (s) => s.ply,
  outcome: (s) => s.outcome,
  encode(s, out, offset) {
    const me = (s.ply % 2) + 1;
    for (let i = 0; i < 9; i++) {
      const v = s.cells[i]!;
      out[offset + i] = v === me ? 1 : 0;
      out[offset + 9 + i] = v !== 0 && v !== me ? 1 : 0;
    }
  },
  symmetries: SYMMETRIES,
  parse(notation) {
    let s = ticTacToe.initial();
    for (const [i, ch] of [...notation.trim()].entries()) {
      if (ch < '1' || ch > '9') throw new Error(`move ${i + 1} of "${notation}" is "${ch}": tic-tac-toe moves are cells 1-9`);
      try {
        s = ticTacToe.play(s, Number(ch) - 1);
      } catch (error) {
        throw new Error(`move ${i + 1} of "${notation}" (${ch}) is illegal: ${(error as Error).message}`);
      }
    }
    return s;
  },
  format: (s) => s.moves,
  grid: (s) => [0, 1, 2].map((r) => Array.from(s.cells.subarray(r * 3, r * 3 + 3)) as Cell[]),
  render(s) {
    const mark = ['.', 'X', 'O'];
    return [0, 1, 2].map((r) => [0, 1, 2].map((c) => mark[s.cells[r * 3 + c]!]).join('')).join('\n');
  },
};

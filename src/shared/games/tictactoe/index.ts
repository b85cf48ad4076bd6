/** Tic-tac-toe: small enough to solve exhaustively, so every position has a perfect-play label. */
import type { GameSpec } from '../types';
import { numberedNotation } from '../numberedNotation';
import { ticTacToe, type TicTacToeState } from './rules';
import { alphaBetaMove, TicTacToeSolver } from './solver';

export const ticTacToeSpec: GameSpec<TicTacToeState> = {
  label: 'Tic-tac-toe',
  rules: ticTacToe,
  defaults: {
    iterations: 12,
    episodesPerIteration: 200,
    stepsPerIteration: 300,
    numActors: 2,
    startSims: 32,
    maxSims: 64,
    simRampRate: 8,
    tempThreshold: 4,
    batchSize: 256,
    learningRate: 0.002,
    replayWindow: 4,
    evalGames: 40,
    evalSims: 32,
    ladderGames: 10,
    // Perfect play draws: an all-draw match (score 0.5) must promote the newer model, or the best freezes.
    gateThreshold: 0.49,
  },
  search: { cPuct: 1.5, noiseFraction: 0.25, dirichletAlpha: 0.5, fullSearchShare: 1, fastSearchShare: 1 },
  arenaOpeningPlies: 1,
  selfplayOpeningPlies: 0,
  network: { hidden: 64, blocks: 1, valueHidden: 32 },
  trainer: { emaDecay: 0 },
  board: {
    rows: 3,
    cols: 3,
    moves: 'cells',
    sides: ['X', 'O'],
    colors: ['#2563eb', '#dc2626'],
    letters: ['X', 'O'],
    actionCell: (action) => [Math.floor(action / 3), action % 3],
  },
  notation: numberedNotation(9),
  references: {
    alphaBetaMove,
    maxDepth: 9,
    // Depth 9 searches to the end of every game: perfect play.
    levels: [
      { depth: 1, nominalElo: 141 },
      { depth: 2, nominalElo: 441 },
      { depth: 4, nominalElo: 515 },
      { depth: 9, nominalElo: 651 },
    ],
  },
  solver: {
    createOracle() {
      const solver = new TicTacToeSolver();
      return {
        moveValues(state) {
          const values = new Map<number, -1 | 0 | 1>();
          for (const a of ticTacToe.legalActions(state)) values.set(a, (0 - solver.solve(ticTacToe.play(state, a)).value) as -1 | 0 | 1);
          return values;
        },
      };
    },
    positionSet: {
      version: 1,
      stages: [
        { name: 'opening', fromPly: 0, toPly: 2 },
        { name: 'middle', fromPly: 3, toPly: 5 },
        { name: 'end', fromPly: 6, toPly: 8 },
      ],
    },
  },
};

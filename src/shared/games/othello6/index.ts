/** Othello on 6 x 6: passes and flips, which tic-tac-toe and Connect Four never have; no perfect solver here. */
import type { GameSpec } from '../types';
import { alphaBetaMove } from './alphaBeta';
import { CELLS, MOVE_NAMES, othello6, type OthelloState, SIZE } from './rules';

export const othello6Spec: GameSpec<OthelloState> = {
  label: 'Othello 6x6',
  rules: othello6,
  defaults: {
    // An hour, like Connect Four's: the time budget ends the run; the iteration target is an upper bound.
    iterations: 1000,
    timeBudgetMinutes: 60,
    episodesPerIteration: 1000,
    stepsPerIteration: 400,
    numActors: 2,
    startSims: 64,
    maxSims: 160,
    simRampRate: 16,
    tempThreshold: 12,
    batchSize: 512,
    learningRate: 0.002,
    replayWindow: 12,
    evalGames: 100,
    evalSims: 64,
    ladderGames: 20,
    gateThreshold: 0.55,
  },
  search: { cPuct: 1.5, noiseFraction: 0.25, dirichletAlpha: 0.5, fullSearchShare: 1, fastSearchShare: 1 },
  // Three random plies: about 50 distinct openings for the arena's pairs.
  arenaOpeningPlies: 3,
  selfplayOpeningPlies: 6,
  network: { hidden: 128, blocks: 2, valueHidden: 64 },
  trainer: { emaDecay: 0 },
  board: {
    rows: SIZE,
    cols: SIZE,
    moves: 'cells',
    sides: ['Black', 'White'],
    colors: ['#111827', '#f9fafb'],
    actionCell: (action) => (action < CELLS ? [Math.floor(action / SIZE), action % SIZE] : null),
  },
  notation: { moves: MOVE_NAMES, separator: ' ' },
  references: {
    alphaBetaMove,
    maxDepth: 6,
    // scripts/calibrate-references.ts --game othello6 --games 200 (95% intervals about ±80).
    levels: [
      { depth: 1, nominalElo: 432 },
      { depth: 2, nominalElo: 558 },
      { depth: 4, nominalElo: 764 },
      { depth: 6, nominalElo: 887 },
    ],
  },
  solver: null,
};

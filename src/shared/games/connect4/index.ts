/** Connect Four (7 columns, 6 rows), with a perfect solver fast enough from ply 8 on. */
import type { GameSpec } from '../types';
import { numberedNotation } from '../numberedNotation';
import { alphaBetaMove } from './alphaBeta';
import { connect4, type Connect4State } from './rules';
import { Connect4Solver } from './solver';

export const connect4Spec: GameSpec<Connect4State> = {
  label: 'Connect Four',
  rules: connect4,
  defaults: {
    // An hour on any machine: the time budget ends the run at the first iteration boundary after
    // 60 minutes of iteration time; the iteration target is only an upper bound.
    iterations: 1000,
    timeBudgetMinutes: 60,
    episodesPerIteration: 2000,
    stepsPerIteration: 400,
    numActors: 2,
    startSims: 100,
    maxSims: 200,
    simRampRate: 20,
    // Six plies sampled from the visit counts after the longest random opening: as strong on the tuning set
    // as 10, and the best model changed every 3.4 iterations instead of 5.0 (docs/benchmarks.md).
    tempThreshold: 16,
    batchSize: 512,
    learningRate: 0.002,
    // The last 16 iterations' positions, not 6: every model of the hour's last 15 kept the value in more
    // of the tuning set's solver positions than any with 6 (96.2% against 94.5% on average; docs/benchmarks.md).
    replayWindow: 16,
    // Arena games are cheap (about 1 s for 80): 100 make the gate's score noise 0.05 instead of 0.08.
    evalGames: 100,
    evalSims: 64,
    ladderGames: 20,
    gateThreshold: 0.55,
  },
  search: { cPuct: 1.5, noiseFraction: 0.25, dirichletAlpha: 1.0, fullSearchShare: 1, fastSearchShare: 1 },
  // 343 openings: a 100-game gate plays about 47 distinct ones (with two plies sampled from visit
  // counts it played only 7-19 distinct games).
  arenaOpeningPlies: 3,
  // Without them self-play collapsed to a fifth distinct positions and the ratings stalled (docs/benchmarks.md, run 7);
  // 0-10 plies beat 0-6 by 2 points on the solver's positions (docs/benchmarks.md, the openings A/B).
  selfplayOpeningPlies: 10,
  network: { hidden: 128, blocks: 2, valueHidden: 64 },
  trainer: { emaDecay: 0 },
  board: {
    rows: 6,
    cols: 7,
    moves: 'columns',
    sides: ['Red', 'Yellow'],
    colors: ['#dc2626', '#facc15'],
  },
  notation: numberedNotation(7),
  references: {
    alphaBetaMove,
    maxDepth: 8,
    levels: [
      { depth: 1, nominalElo: 760 },
      { depth: 2, nominalElo: 1072 },
      { depth: 4, nominalElo: 1089 },
      { depth: 6, nominalElo: 1181 },
    ],
  },
  solver: {
    createOracle() {
      const solver = new Connect4Solver();
      return { moveValues: (state) => solver.moveValues(state) };
    },
    positionSet: {
      version: 1,
      // The opening starts at ply 8: earlier positions take the solver minutes each (ply 4: up to six minutes).
      stages: [
        { name: 'opening', fromPly: 8, toPly: 14 },
        { name: 'middle', fromPly: 15, toPly: 24 },
        { name: 'end', fromPly: 25, toPly: 40 },
      ],
    },
  },
};

/**
 * What a game is: its rules (the one interface every game implements) and
 * its GameSpec, everything the rest of the project knows about it. Each game
 * is a folder beside this file whose index exports a GameSpec; the registry
 * (./index.ts) lists them.
 */
import type { GameDefaults } from '../config/fields';
import type { Rng } from '../random';
import type { GameId } from './ids';

export interface Symmetry {
  /** transformed observation[i] = observation[observation[i]] */
  observation: Int32Array;
  /** transformed policy[a] = policy[action[a]] (and legal mask likewise) */
  action: Int32Array;
}

/**
 * The rules. Actions are 0-based indices in [0, actions); the move-sequence
 * notation is 1-based (see parse/format). States are immutable values:
 * play() returns a new state.
 */
export interface Game<S = unknown> {
  readonly id: GameId;
  /** Size of the policy head. */
  readonly actions: number;
  /** Length of the encoded observation. */
  readonly obsSize: number;
  /** Longest possible game, in plies. */
  readonly maxPlies: number;
  initial(): S;
  /** Legal actions in increasing order; empty when terminal. */
  legalActions(state: S): number[];
  play(state: S, action: number): S;
  /** Plies played so far. */
  ply(state: S): number;
  /**
   * null while the game goes on; else the outcome for the player to move: 1 a win, 0 a draw, -1 a
   * loss. Players alternate every ply (a game where a player may have to pass makes the pass an
   * action), so the player to move is the first player after an even number of plies.
   */
  outcome(state: S): -1 | 0 | 1 | null;
  /** Observation from the point of view of the player to move, written at out[offset..offset+obsSize). */
  encode(state: S, out: Float32Array, offset: number): void;
  /** Symmetries other than the identity, for replay augmentation. */
  readonly symmetries: readonly Symmetry[];
  /** A position line in the game's notation (GameSpec.notation) to a state; throws with the offending move. */
  parse(notation: string): S;
  /** The notation of the moves that led to the state. */
  format(state: S): string;
  /** The pieces on the board, top row first: 0 empty, 1 the first player's, 2 the second's. */
  grid(state: S): Cell[][];
  /** A human-readable board for logs. */
  render(state: S): string;
}

/** Everything the project knows about one game. The compiler names what a new game leaves out. */
export interface GameSpec<S = any> {
  /** The name the panel and the CLI show. */
  label: string;
  rules: Game<S>;
  /** Loop settings tuned for the strength targets on a 2-core CPU machine (docs/engine.md). */
  defaults: GameDefaults;
  /** The bundled engine's search. */
  search: SearchSettings;
  /** Random plies that open each pair of arena games (both colours then play the same opening). */
  arenaOpeningPlies: number;
  /** Most uniformly random plies that open a self-play game (each draws 0..N; not trained on): positions off the best model's own lines. */
  selfplayOpeningPlies: number;
  /** The bundled network's trunk (docs/engine.md, Network). */
  network: NetworkShape;
  /** The bundled trainer's settings beyond the protocol's flags. */
  trainer: TrainerSettings;
  /** How the board is drawn and where each action plays (the protocol's board declaration). */
  board: BoardView;
  /** The name of each action and what joins them in a position line (the protocol's notation). */
  notation: { moves: string[]; separator: string };
  /** The depth-limited alpha-beta reference players its arena plays; null for none. */
  references: ReferencePlayers<S> | null;
  /** Perfect play and the accuracy position set; null for a game without a solver. */
  solver: GameSolver<S> | null;
}

export interface SearchSettings {
  /** The PUCT exploration constant. */
  cPuct: number;
  /** Dirichlet noise mixed into the root priors in self-play; 0 for none. */
  noiseFraction: number;
  dirichletAlpha: number;
  /**
   * Playout cap randomization (KataGo): this share of self-play moves gets the full search, with
   * noise, and becomes a training position; the other moves get a fast search of `fastSearchShare`
   * of the simulations, without noise, only to move the game on. More games for the same
   * simulations, so more independent game results to learn values from. 1 turns it off.
   */
  fullSearchShare: number;
  fastSearchShare: number;
}

export interface TrainerSettings {
  /**
   * Decay per Adam update of the moving average of the weights that the
   * exported model holds (0: the model holds the last step's weights).
   */
  emaDecay: number;
}

export interface NetworkShape {
  /** Width of the residual trunk. */
  hidden: number;
  /** Residual blocks in the trunk. */
  blocks: number;
  /** Width of the value head's hidden layer. */
  valueHidden: number;
}

export type Cell = 0 | 1 | 2;

export interface BoardView {
  rows: number;
  cols: number;
  /** How a click makes a move (the game declaration's board.moves): on a cell, or in a column. */
  moves: 'cells' | 'columns';
  /** Names of the first and the second player's pieces. */
  sides: [string, string];
  /** The pieces' colours ("#rrggbb"), and letters drawn instead of discs where a game has them. */
  colors: [string, string];
  letters?: [string, string];
  /** For board.moves "cells": the [row, col] action a (0-based) places a piece on, or null (a pass). */
  actionCell?(action: number): [number, number] | null;
}

/** Value for the mover of each legal move (0-based action -> 1 win, 0 draw, -1 loss) with perfect play after it. */
export type MoveValues = Map<number, -1 | 0 | 1>;

export interface ReferencePlayers<S = any> {
  /** A depth-limited alpha-beta player's move. */
  alphaBetaMove(state: S, depth: number, rng: Rng): number;
  /** Deepest search depth a reference player may use. */
  maxDepth: number;
  /**
   * The alpha-beta reference players rated in every run (besides random), with their nominal Elo
   * (random = 0) measured by scripts/calibrate-references.ts. The ladder uses the nominal Elo to pick
   * an opponent until a run has rated the references with its own games.
   */
  levels: { depth: number; nominalElo: number }[];
}

export interface GameSolver<S = any> {
  /** A perfect-play oracle; can be slow early in a game (Connect Four: seconds from ply 8, minutes before). */
  createOracle(): { moveValues(state: S): MoveValues };
  /** The accuracy position set (data/positions/<game>-v<version>.json) and its stages by ply. */
  positionSet: { version: number; stages: Stage[] };
}

export type StageName = 'opening' | 'middle' | 'end';

export interface Stage {
  name: StageName;
  fromPly: number;
  toPly: number;
}

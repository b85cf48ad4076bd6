/**
 * The one interface every game implements. Actions are 0-based indices in
 * [0, actions); the move-sequence notation is 1-based (see parse/format).
 * States are immutable values: play() returns a new state.
 */
import type { GameId } from '../games';

export interface Symmetry {
  /** transformed observation[i] = observation[observation[i]] */
  observation: Int32Array;
  /** transformed policy[a] = policy[action[a]] (and legal mask likewise) */
  action: Int32Array;
}

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
   * null while the game goes on; else the outcome for the player to move:
   * -1 (the opponent just won), 0 (draw). A player never "just lost" by moving.
   */
  outcome(state: S): -1 | 0 | null;
  /** Observation from the point of view of the player to move, written at out[offset..offset+obsSize). */
  encode(state: S, out: Float32Array, offset: number): void;
  /** Symmetries other than the identity, for replay augmentation. */
  readonly symmetries: readonly Symmetry[];
  /** Move-sequence notation (1-based cells/columns, no separators) to a state; throws with the offending move. */
  parse(notation: string): S;
  /** The notation of the moves that led to the state. */
  format(state: S): string;
  /** A human-readable board for logs. */
  render(state: S): string;
}

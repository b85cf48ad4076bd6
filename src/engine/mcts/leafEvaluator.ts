/**
 * What a search asks for at its leaves: policy logits over all actions and a
 * value for the player to move. Backed by a network, or (before a run has a
 * model) by uniform priors and random-rollout values.
 */
import type { Game } from '../../shared/games/types';
import type { Evaluator } from '../net/evaluator';
import type { Rng } from '../../shared/random';

export interface LeafEvaluation {
  /** n * actions logits. */
  logits: Float32Array;
  values: Float32Array;
}

export interface LeafEvaluator {
  readonly description: string;
  evaluate(states: readonly unknown[]): Promise<LeafEvaluation>;
}

export class NetworkLeafEvaluator implements LeafEvaluator {
  private buffer = new Float32Array(0);
  constructor(
    private readonly game: Game<any>,
    private readonly network: Evaluator,
  ) {}

  get description(): string {
    return this.network.description;
  }

  async evaluate(states: readonly unknown[]): Promise<LeafEvaluation> {
    const n = states.length;
    const size = n * this.game.obsSize;
    if (this.buffer.length < size) this.buffer = new Float32Array(size);
    const input = this.buffer.subarray(0, size);
    for (let i = 0; i < n; i++) this.game.encode(states[i], input, i * this.game.obsSize);
    const { policyLogits, values } = await this.network.evaluate(input, n);
    return { logits: policyLogits, values };
  }
}

/** Uniform priors; the value of one random playout (the best a model-less first iteration can do cheaply). */
export class RolloutLeafEvaluator implements LeafEvaluator {
  readonly description = 'no model: uniform priors, random-rollout values';
  constructor(
    private readonly game: Game<any>,
    private readonly rng: Rng,
    private readonly rollouts = 1,
  ) {}

  async evaluate(states: readonly unknown[]): Promise<LeafEvaluation> {
    const n = states.length;
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let total = 0;
      for (let r = 0; r < this.rollouts; r++) total += this.rollout(states[i]);
      values[i] = total / this.rollouts;
    }
    return { logits: new Float32Array(n * this.game.actions), values };
  }

  /** Outcome for the player to move at `start`. */
  private rollout(start: unknown): number {
    const game = this.game;
    let state = start;
    let sign = 1;
    for (;;) {
      const outcome = game.outcome(state);
      if (outcome !== null) return sign * outcome;
      const legal = game.legalActions(state);
      state = game.play(state, legal[Math.floor(this.rng() * legal.length)]!);
      sign = -sign;
    }
  }
}

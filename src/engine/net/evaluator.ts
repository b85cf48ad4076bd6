/**
 * What MCTS needs from a network: a batch of observations in, policy logits
 * and values out. Implemented by the ONNX model (net/onnxEvaluator.ts) and,
 * before a run has a model, by the uniform evaluator (mcts side).
 */
export interface Evaluation {
  /** n * actions logits, row-major. Illegal actions are masked by the caller. */
  policyLogits: Float32Array;
  /** n values in [-1, 1] for the player to move. */
  values: Float32Array;
}

export interface Evaluator {
  /** `observations` holds n * obsSize floats. */
  evaluate(observations: Float32Array, n: number): Promise<Evaluation>;
  /** Free native resources. */
  close(): Promise<void>;
  /** For logs: "model models/iter-0003.onnx" or "uniform priors, zero value". */
  readonly description: string;
}

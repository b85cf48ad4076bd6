/**
 * An exponential moving average of the weights over the trainer's updates
 * (Polyak averaging). The exported model is the average, which smooths out
 * the last steps' noise; training itself continues from the raw weights.
 */
export class WeightAverage {
  private constructor(
    readonly decay: number,
    private readonly average: Map<string, Float32Array>,
  ) {}

  /** An average that starts at these weights (copied). */
  static startingAt(weights: ReadonlyMap<string, Float32Array>, decay: number): WeightAverage {
    if (!(decay > 0 && decay < 1)) throw new Error(`weight average: the decay must be between 0 and 1 exclusive (got ${decay})`);
    return new WeightAverage(decay, new Map([...weights].map(([name, w]) => [name, Float32Array.from(w)])));
  }

  /**
   * The decay for Adam update number `update` (1-based): lower for the first
   * updates, so that a fresh network's random start fades within tens of
   * steps instead of the average's whole horizon.
   */
  decayAt(update: number): number {
    return Math.min(this.decay, (1 + update) / (10 + update));
  }

  /** Folds in the weights after Adam update number `update`. */
  add(weights: ReadonlyMap<string, Float32Array>, update: number): void {
    const keep = this.decayAt(update);
    const take = 1 - keep;
    for (const [name, avg] of this.average) {
      const w = weights.get(name);
      if (!w || w.length !== avg.length) throw new Error(`weight average: ${name} is missing or has another shape`);
      for (let i = 0; i < avg.length; i++) avg[i] = avg[i]! + take * (w[i]! - avg[i]!);
    }
  }

  /** Copies of the averaged weights, by name. */
  values(): Map<string, Float32Array> {
    return new Map([...this.average].map(([name, w]) => [name, Float32Array.from(w)]));
  }
}

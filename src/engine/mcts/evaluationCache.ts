/**
 * A leaf evaluator that remembers the network's answers by position, so that a position met again
 * (in another game's tree, by a transposition, twice in one batch) is not evaluated again. Self-play
 * meets many: a tenth of its games start from the same few openings' positions, and the trees of
 * games that share an opening share their upper plies. The network is deterministic, so a cached
 * answer is the answer.
 *
 * Two generations bound the memory: once the newer holds `capacity` positions it becomes the older
 * and a new one starts; a position found in the older is copied into the newer, so positions in use
 * stay while the rest are dropped with the older generation.
 */
import type { LeafEvaluation, LeafEvaluator } from './leafEvaluator';

class Generation {
  readonly slots = new Map<number, number>();
  readonly logits: Float32Array;
  readonly values: Float32Array;
  constructor(
    readonly capacity: number,
    private readonly actions: number,
  ) {
    this.logits = new Float32Array(capacity * actions);
    this.values = new Float32Array(capacity);
  }

  get full(): boolean {
    return this.slots.size >= this.capacity;
  }

  /** Stores a position's answer; the generation must not be full. */
  put(key: number, logits: Float32Array, from: number, value: number): void {
    const slot = this.slots.size;
    this.slots.set(key, slot);
    this.logits.set(logits.subarray(from, from + this.actions), slot * this.actions);
    this.values[slot] = value;
  }

  clear(): void {
    this.slots.clear();
  }
}

export interface CacheCounts {
  /** Positions asked for. */
  asked: number;
  /** Positions the network evaluated. */
  evaluated: number;
}

export class CachedLeafEvaluator implements LeafEvaluator {
  private newer: Generation;
  private older: Generation;
  readonly counts: CacheCounts = { asked: 0, evaluated: 0 };

  constructor(
    private readonly inner: LeafEvaluator,
    private readonly keyOf: (state: unknown) => number,
    private readonly actions: number,
    capacity = 1 << 18,
  ) {
    this.newer = new Generation(capacity, actions);
    this.older = new Generation(capacity, actions);
  }

  get description(): string {
    return `${this.inner.description}, answers cached by position`;
  }

  async evaluate(states: readonly unknown[]): Promise<LeafEvaluation> {
    const n = states.length;
    const A = this.actions;
    const logits = new Float32Array(n * A);
    const values = new Float32Array(n);
    // Positions to evaluate, once each, and for each state the index of its answer among them (-1: cached).
    const missKeys: number[] = [];
    const missStates: unknown[] = [];
    const missOf = new Int32Array(n).fill(-1);
    const missIndex = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const key = this.keyOf(states[i]);
      const slot = this.lookup(key);
      if (slot !== null) {
        logits.set(this.newer.logits.subarray(slot * A, slot * A + A), i * A);
        values[i] = this.newer.values[slot]!;
        continue;
      }
      let m = missIndex.get(key);
      if (m === undefined) {
        m = missKeys.length;
        missIndex.set(key, m);
        missKeys.push(key);
        missStates.push(states[i]);
      }
      missOf[i] = m;
    }
    this.counts.asked += n;
    this.counts.evaluated += missStates.length;
    if (missStates.length === 0) return { logits, values };
    const fresh = await this.inner.evaluate(missStates);
    for (let i = 0; i < n; i++) {
      const m = missOf[i]!;
      if (m < 0) continue;
      logits.set(fresh.logits.subarray(m * A, m * A + A), i * A);
      values[i] = fresh.values[m]!;
    }
    for (let m = 0; m < missKeys.length; m++) {
      this.makeRoom();
      this.newer.put(missKeys[m]!, fresh.logits, m * A, fresh.values[m]!);
    }
    return { logits, values };
  }

  /** The position's slot in the newer generation (copied there from the older one), or null. */
  private lookup(key: number): number | null {
    const slot = this.newer.slots.get(key);
    if (slot !== undefined) return slot;
    const old = this.older.slots.get(key);
    if (old === undefined) return null;
    // Copied out first: making room may drop the older generation.
    const logits = this.older.logits.slice(old * this.actions, (old + 1) * this.actions);
    const value = this.older.values[old]!;
    this.makeRoom();
    this.newer.put(key, logits, 0, value);
    return this.newer.slots.get(key)!;
  }

  private makeRoom(): void {
    if (!this.newer.full) return;
    const dropped = this.older;
    dropped.clear();
    this.older = this.newer;
    this.newer = dropped;
  }
}

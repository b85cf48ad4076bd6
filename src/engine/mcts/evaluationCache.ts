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

const EMPTY = -1;

/**
 * Up to `capacity` positions' answers, found by key in an open-addressing table (keys above 2^31 are
 * heap numbers, which a Map boxes and hashes slowly).
 */
class Generation {
  size = 0;
  private readonly keys: Float64Array;
  private readonly slotOf: Int32Array;
  private readonly mask: number;
  readonly logits: Float32Array;
  readonly values: Float32Array;
  constructor(
    readonly capacity: number,
    private readonly actions: number,
  ) {
    // At most half full, so probes stay short.
    let tableSize = 1;
    while (tableSize < 2 * capacity) tableSize *= 2;
    this.keys = new Float64Array(tableSize).fill(EMPTY);
    this.slotOf = new Int32Array(tableSize);
    this.mask = tableSize - 1;
    this.logits = new Float32Array(capacity * actions);
    this.values = new Float32Array(capacity);
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  /** The answer's slot, or -1. */
  find(key: number): number {
    for (let at = this.home(key); ; at = (at + 1) & this.mask) {
      const k = this.keys[at]!;
      if (k === key) return this.slotOf[at]!;
      if (k === EMPTY) return -1;
    }
  }

  /** Stores a position's answer; the generation must not be full nor hold the key. */
  put(key: number, logits: Float32Array, from: number, value: number): void {
    let at = this.home(key);
    while (this.keys[at] !== EMPTY) at = (at + 1) & this.mask;
    const slot = this.size++;
    this.keys[at] = key;
    this.slotOf[at] = slot;
    this.logits.set(logits.subarray(from, from + this.actions), slot * this.actions);
    this.values[slot] = value;
  }

  clear(): void {
    this.keys.fill(EMPTY);
    this.size = 0;
  }

  /** The key's first slot: both halves mixed (murmur3's finalizer), so every bit of the key moves the low bits. */
  private home(key: number): number {
    let h = (key >>> 0) ^ Math.imul((key / 4294967296) >>> 0, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) & this.mask;
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

  /** Positions held now, in both generations. */
  get held(): number {
    return this.newer.size + this.older.size;
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
    const slot = this.newer.find(key);
    if (slot >= 0) return slot;
    const old = this.older.find(key);
    if (old < 0) return null;
    // Copied out first: making room may drop the older generation.
    const logits = this.older.logits.slice(old * this.actions, (old + 1) * this.actions);
    const value = this.older.values[old]!;
    this.makeRoom();
    this.newer.put(key, logits, 0, value);
    return this.newer.size - 1;
  }

  private makeRoom(): void {
    if (!this.newer.full) return;
    const dropped = this.older;
    dropped.clear();
    this.older = this.newer;
    this.newer = dropped;
  }
}

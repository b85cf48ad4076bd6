/**
 * A leaf evaluator that remembers the network's answers by position, so that a position met again
 * (in another game's tree, by a transposition, twice in one batch) is not evaluated again. Self-play
 * meets many: a tenth of its games start from the same few openings' positions, and the trees of
 * games that share an opening share their upper plies. The network is deterministic, so a cached
 * answer is the answer.
 *
 * Two generations bound the memory: once the newer cannot take a whole batch it becomes the older
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

  /** The position's slot, or -1. */
  find(key: number): number {
    for (let at = this.home(key); ; at = (at + 1) & this.mask) {
      const k = this.keys[at]!;
      if (k === key) return this.slotOf[at]!;
      if (k === EMPTY) return -1;
    }
  }

  /** A slot for a position the generation does not hold; its answer is written with `write`. */
  reserve(key: number): number {
    let at = this.home(key);
    while (this.keys[at] !== EMPTY) at = (at + 1) & this.mask;
    const slot = this.size++;
    this.keys[at] = key;
    this.slotOf[at] = slot;
    return slot;
  }

  write(slot: number, logits: Float32Array, from: number, value: number): void {
    const A = this.actions;
    for (let a = 0; a < A; a++) this.logits[slot * A + a] = logits[from + a]!;
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
  private slots = new Int32Array(0);
  private busy = false;
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
    // A batch reserves slots that it fills after the network answers: one batch at a time.
    if (this.busy) throw new Error('CachedLeafEvaluator: evaluate() called again before the previous batch was answered');
    this.busy = true;
    try {
      return await this.answer(states);
    } finally {
      this.busy = false;
    }
  }

  private async answer(states: readonly unknown[]): Promise<LeafEvaluation> {
    const n = states.length;
    const A = this.actions;
    if (n > this.newer.capacity) throw new Error(`CachedLeafEvaluator: a batch of ${n} is larger than the cache's ${this.newer.capacity} positions`);
    // Room for the whole batch, so that its slots stay in the newer generation until it is answered.
    if (this.newer.size + n > this.newer.capacity) this.turnOver();
    if (this.slots.length < n) this.slots = new Int32Array(n);
    const slots = this.slots;
    const missStates: unknown[] = [];
    const missSlots: number[] = [];
    const older = this.older;
    for (let i = 0; i < n; i++) {
      const key = this.keyOf(states[i]);
      let slot = this.newer.find(key);
      if (slot < 0) {
        slot = this.newer.reserve(key);
        const old = older.find(key);
        if (old >= 0) this.newer.write(slot, older.logits, old * A, older.values[old]!);
        else {
          // Later repeats in this batch find the reserved slot, answered below with it.
          missStates.push(states[i]);
          missSlots.push(slot);
        }
      }
      slots[i] = slot;
    }
    this.counts.asked += n;
    this.counts.evaluated += missStates.length;
    if (missStates.length > 0) {
      let fresh: LeafEvaluation;
      try {
        fresh = await this.inner.evaluate(missStates);
      } catch (error) {
        // The reserved slots hold no answers: forget everything rather than keep them.
        this.newer.clear();
        this.older.clear();
        throw error;
      }
      for (let m = 0; m < missSlots.length; m++) this.newer.write(missSlots[m]!, fresh.logits, m * A, fresh.values[m]!);
    }
    const logits = new Float32Array(n * A);
    const values = new Float32Array(n);
    const cached = this.newer;
    for (let i = 0; i < n; i++) {
      const slot = slots[i]!;
      for (let a = 0; a < A; a++) logits[i * A + a] = cached.logits[slot * A + a]!;
      values[i] = cached.values[slot]!;
    }
    return { logits, values };
  }

  private turnOver(): void {
    const dropped = this.older;
    dropped.clear();
    this.older = this.newer;
    this.newer = dropped;
  }
}

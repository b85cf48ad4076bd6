import { describe, expect, it } from 'vitest';
import { connect4 } from '../../src/shared/games/connect4/rules';
import { ticTacToe } from '../../src/shared/games/tictactoe/rules';
import type { Game } from '../../src/shared/games/types';
import { CachedLeafEvaluator } from '../../src/engine/mcts/evaluationCache';
import type { LeafEvaluation, LeafEvaluator } from '../../src/engine/mcts/leafEvaluator';
import { createRng } from '../../src/shared/random';

/** Every state within `plies` of the start, once per move sequence (so transpositions repeat). */
function statesWithin<S>(game: Game<S>, plies: number): S[] {
  const all: S[] = [];
  const walk = (s: S, depth: number) => {
    all.push(s);
    if (depth === plies) return;
    for (const a of game.legalActions(s)) walk(game.play(s, a), depth + 1);
  };
  walk(game.initial(), 0);
  return all;
}

function encoding<S>(game: Game<S>, s: S): string {
  const out = new Float32Array(game.obsSize);
  game.encode(s, out, 0);
  return out.join('');
}

/** A deterministic stand-in for a network: its answers are functions of the observation; it counts what it is asked. */
class ObservationEvaluator implements LeafEvaluator {
  readonly description = 'observation sums';
  asked = 0;
  constructor(private readonly game: Game<any>) {}
  async evaluate(states: readonly unknown[]): Promise<LeafEvaluation> {
    const { game } = this;
    this.asked += states.length;
    const logits = new Float32Array(states.length * game.actions);
    const values = new Float32Array(states.length);
    const obs = new Float32Array(game.obsSize);
    states.forEach((s, i) => {
      game.encode(s, obs, 0);
      let h = 0;
      for (let k = 0; k < obs.length; k++) h = (h * 31 + obs[k]! * (k + 1)) % 1009;
      for (let a = 0; a < game.actions; a++) logits[i * game.actions + a] = (h * (a + 3)) % 17;
      values[i] = (h % 200) / 100 - 1;
    });
    return { logits, values };
  }
}

describe('position keys', () => {
  for (const [game, plies] of [
    [ticTacToe, 9],
    [connect4, 5],
  ] as const) {
    it(`tell ${game.id}'s positions apart exactly as their observations do (every position within ${plies} plies, reached by every move order)`, () => {
      const g = game as Game<unknown>;
      const byKey = new Map<number, string>();
      const byEncoding = new Map<string, number>();
      let transpositions = 0;
      const visit = (s: unknown, depth: number) => {
        const key = g.positionKey!(s);
        const enc = encoding(g, s);
        expect(Number.isSafeInteger(key)).toBe(true);
        expect(byKey.get(key) ?? enc).toBe(enc);
        expect(byEncoding.get(enc) ?? key).toBe(key);
        if (byEncoding.has(enc)) {
          transpositions++;
          return;
        }
        byKey.set(key, enc);
        byEncoding.set(enc, key);
        if (depth < plies && g.outcome(s) === null) for (const a of g.legalActions(s)) visit(g.play(s, a), depth + 1);
      };
      visit(g.initial(), 0);
      expect(byKey.size).toBeGreaterThan(1000);
      expect(transpositions).toBeGreaterThan(1000);
    });
  }

  it("keeps Connect Four's key exact in the columns of the upper 32 bits", () => {
    const full = connect4.parse('777777666666');
    const less = connect4.parse('77777766666');
    expect(Number.isSafeInteger(connect4.positionKey!(full))).toBe(true);
    expect(connect4.positionKey!(full)).toBeGreaterThan(2 ** 47);
    expect(connect4.positionKey!(full)).not.toBe(connect4.positionKey!(less));
  });
});

describe('CachedLeafEvaluator', () => {
  it("answers as the network does, evaluating each position once, transpositions and a batch's repeats included", async () => {
    const states = statesWithin(connect4, 4).filter((s) => connect4.outcome(s) === null);
    const direct = new ObservationEvaluator(connect4);
    const network = new ObservationEvaluator(connect4);
    const cached = new CachedLeafEvaluator(network, (s) => connect4.positionKey!(s as never), connect4.actions);
    const distinct = new Set(states.map((s) => connect4.positionKey!(s))).size;
    // In batches of 37, each asked twice.
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < states.length; i += 37) {
        const batch = states.slice(i, i + 37);
        const want = await direct.evaluate(batch);
        const got = await cached.evaluate(batch);
        expect(got.logits).toEqual(want.logits);
        expect(got.values).toEqual(want.values);
      }
    expect(network.asked).toBe(distinct);
    expect(cached.counts).toEqual({ asked: 2 * states.length, evaluated: distinct });
    expect(distinct).toBeLessThan(states.length);
  });

  it('keeps its memory bounded, dropping positions not met since the last generation, and stays exact', async () => {
    const states = statesWithin(connect4, 3).filter((s) => connect4.outcome(s) === null);
    const distinct = [...new Map(states.map((s) => [connect4.positionKey!(s), s])).values()];
    const network = new ObservationEvaluator(connect4);
    const direct = new ObservationEvaluator(connect4);
    const cached = new CachedLeafEvaluator(network, (s) => connect4.positionKey!(s as never), connect4.actions, 16);
    const hot = distinct[0]!;
    const rng = createRng(3);
    for (let k = 0; k < 40; k++) {
      const batch = [hot, ...Array.from({ length: 5 }, () => distinct[Math.floor(rng() * distinct.length)]!)];
      expect(await cached.evaluate(batch)).toEqual(await direct.evaluate(batch));
    }
    // The hot position, met in every batch, was evaluated once though generations turned over.
    const before = network.asked;
    await cached.evaluate([hot]);
    expect(network.asked).toBe(before);
    expect(cached.counts.evaluated).toBeGreaterThan(32);
    // Two generations of 16 at most.
    expect(cached.held).toBeLessThanOrEqual(32);
  });

  it('refuses a second batch before the first is answered, and forgets the batch the network failed on', async () => {
    const states = statesWithin(connect4, 2).filter((s) => connect4.outcome(s) === null);
    const network = new ObservationEvaluator(connect4);
    let failNext = false;
    const flaky: LeafEvaluator = {
      description: 'flaky',
      evaluate: async (batch) => {
        if (failNext) {
          failNext = false;
          throw new Error('the network failed');
        }
        return network.evaluate(batch);
      },
    };
    const cached = new CachedLeafEvaluator(flaky, (s) => connect4.positionKey!(s as never), connect4.actions);
    const first = cached.evaluate(states.slice(0, 5));
    await expect(cached.evaluate(states.slice(5, 10))).rejects.toThrow(/called again before the previous batch was answered/);
    await first;
    failNext = true;
    await expect(cached.evaluate(states.slice(10, 20))).rejects.toThrow('the network failed');
    expect(cached.held).toBe(0);
    const direct = new ObservationEvaluator(connect4);
    expect(await cached.evaluate(states.slice(0, 20))).toEqual(await direct.evaluate(states.slice(0, 20)));
  });
});

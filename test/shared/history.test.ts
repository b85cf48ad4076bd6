import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/shared/events';
import { BEST_ITERATIONS, boundedHistory, keptIterations, LOSS_POINTS, outgrown } from '../../src/shared/history';
import { keeps, RECENT_ITERATIONS, SAMPLED_ITERATIONS, strideOf, WHOLE_RUN_ITERATIONS } from '../../src/shared/keptIterations';
import { applyRunEvent, foldRunEvents, runSummary } from '../../src/shared/runState';
import { syntheticJournal } from '../fixtures/longRunJournal';

const journal = (iterations: number): RunEvent[] =>
  syntheticJournal(iterations)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);

describe("a window's history of a long run", () => {
  const events = journal(3_000);
  const whole = foldRunEvents('long', events);
  const bounded = boundedHistory(whole);

  it('holds a short run whole but for its rated matches', () => {
    const short = foldRunEvents('long', journal(40));
    const held = boundedHistory(short);
    expect(held.iterations).toEqual(short.iterations);
    expect(held.evaluations).toEqual(short.evaluations);
    expect(held.loss).toEqual(short.loss);
    expect(held.rated).toEqual([]);
    expect(strideOf(WHOLE_RUN_ITERATIONS)).toBe(1);
  });

  it("keeps every stride-th iteration, the last ones, the first and the best models', and counts the rest", () => {
    const kept = keptIterations(whole);
    expect(kept.stride).toBe(8);
    const held = bounded.iterations.map((s) => s.iteration);
    expect(held.length).toBeLessThanOrEqual(SAMPLED_ITERATIONS + RECENT_ITERATIONS + BEST_ITERATIONS + 1);
    expect(held).toEqual(expect.arrayContaining([1, 8, 16, 2801, 3000, whole.best!.iteration]));
    expect(held).not.toContain(2);
    expect(bounded.evaluations.map((e) => e.iteration)).toEqual(held);
    // Every iteration still counts: the summary's progress and minutes are the whole run's.
    expect(runSummary(bounded)).toEqual(runSummary(whole));
    expect(runSummary(bounded).iterations_done).toBe(3_000);
    // The gate's record too: 2,999 candidates, one in six promoted.
    const gated = bounded.evaluations.filter((e) => e.vs_champion_iteration !== null);
    expect(gated.length + bounded.omitted.candidates).toBe(2_999);
    expect(gated.filter((e) => e.promoted).length + bounded.omitted.promotions).toBe(500);
  });

  it('bounds the loss points: the last of each kept iteration, and every point of the newest', () => {
    expect(whole.loss.length).toBe(24_000);
    expect(bounded.loss.length).toBeLessThanOrEqual(LOSS_POINTS);
    expect(bounded.loss.at(-1)).toEqual(whole.loss.at(-1));
    expect(bounded.loss.filter((p) => p.iteration === 3_000)).toHaveLength(8);
    const old = bounded.loss.filter((p) => p.iteration < 2_000);
    expect(new Set(old.map((p) => p.iteration)).size).toBe(old.length);
    expect(old.every((p) => keeps(keptIterations(whole), p.iteration))).toBe(true);
    // Steps rise: the chart's line still runs left to right.
    expect(bounded.loss.every((p, i) => i === 0 || p.step > bounded.loss[i - 1]!.step)).toBe(true);
  });

  it('is idempotent, and a window applying events and re-bounding keeps what a fresh snapshot keeps', () => {
    expect(boundedHistory(bounded)).toEqual(bounded);
    // A window opened at iteration 2,500 that watched the rest arrive.
    const at = events.findIndex((e) => e.type === 'iteration.started' && e.iteration === 2_501);
    let window = boundedHistory(foldRunEvents('long', events.slice(0, at)));
    for (const event of events.slice(at)) {
      if (event.type === 'games.rated') continue;
      window = applyRunEvent(window, event);
      if (event.type === 'iteration.completed' && outgrown(window)) window = boundedHistory(window);
    }
    window = boundedHistory(window);
    expect(window.iterations.map((s) => s.iteration)).toEqual(bounded.iterations.map((s) => s.iteration));
    expect(runSummary(window)).toEqual(runSummary(whole));
    expect(window.loss.length).toBeLessThanOrEqual(LOSS_POINTS * 2);
  });

  it("is a small fraction of the whole state's size", () => {
    const size = (x: unknown) => JSON.stringify(x).length;
    expect(size(bounded)).toBeLessThan(size(whole) / 5);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../src/shared/events';
import { EMPTY_FIT } from '../../src/shared/ratingFitter';
import { runSummary } from '../../src/shared/runState';
import { connectStore, enqueueEvent, flushEvents, LOG_RING_LINES, logKey, openRun, reduceEvents, resetStore, useStore, type LoopdeckState } from '../../src/renderer/store';
import { fakeClient, iterationStats, snapshot } from './fakeClient';

let disconnect: () => void;
afterEach(() => {
  disconnect?.();
  resetStore();
});

const at = (i: number) => `2026-01-01T00:01:${String(i).padStart(2, '0')}.000Z`;

describe('store', () => {
  it('a snapshot plus the events after it equals the snapshot taken later', async () => {
    const early = snapshot('r1', 2);
    const late = snapshot('r1', 3);
    late.state.loss.push({ iteration: 3, step: 15, loss: 1, policy_loss: 0.8, value_loss: 0.2, lr: 0.002, samples_per_sec: 900, timestamp: 't3' });
    const fake = fakeClient({ r1: early });
    disconnect = connectStore(fake.client);
    await openRun('r1');
    const events: RunEvent[] = [
      { type: 'train.progress', run: 'r1', time: at(1), point: early.state.loss[0]! }, // already in the snapshot: not added twice
      { type: 'train.progress', run: 'r1', time: at(2), point: late.state.loss[1]! },
      { type: 'eval.completed', run: 'r1', time: at(3), record: late.state.evaluations[2]! },
      { type: 'iteration.completed', run: 'r1', time: at(4), stats: late.state.iterations[2]! },
    ];
    events.forEach(enqueueEvent);
    flushEvents();
    const run = useStore.getState().open!.run;
    const expected = late.state;
    expect(run.iterations).toEqual(expected.iterations);
    expect(run.evaluations).toEqual(expected.evaluations);
    expect(run.loss).toEqual(expected.loss);
  });

  it('applies queued events in one batch, not one render per event', async () => {
    const fake = fakeClient();
    disconnect = connectStore(fake.client);
    await openRun('r1');
    let renders = 0;
    const unsubscribe = useStore.subscribe(() => renders++);
    for (let i = 0; i < 100; i++) fake.push({ type: 'phase.progress', run: 'r1', time: at(0), progress: { iteration: 3, phase: 'selfplay', done: i, total: 100, eta_seconds: 1, rates: {} } });
    expect(renders).toBe(0);
    await vi.waitFor(() => expect(renders).toBe(1));
    flushEvents();
    expect(renders).toBe(1);
    expect(useStore.getState().open!.run.phases[0]!.done).toBe(99);
    unsubscribe();
  });

  it('keeps logs bounded per process and indexes new processes', () => {
    const base: LoopdeckState = { ...useStore.getState(), open: { run: snapshot().state, ratings: EMPTY_FIT, logsIndex: { '1': ['actor-1'] }, pending: null, matches: [] } };
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`);
    let state = base;
    for (let i = 0; i < 12; i++) state = reduceEvents(state, [{ type: 'log.lines', run: 'r1', time: at(0), iteration: 2, process: 'trainer', lines }]);
    const ring = state.logs[logKey('r1', 2, 'trainer')]!;
    expect(ring.lines.length).toBe(LOG_RING_LINES);
    expect(ring.received).toBe(12_000);
    expect(ring.lines.at(-1)).toBe('line 999');
    expect(state.open!.logsIndex['2']).toEqual(['trainer']);
  });

  it('keeps the logs of two runs apart, even for the same iteration and process', () => {
    let state: LoopdeckState = { ...useStore.getState(), open: null };
    state = reduceEvents(state, [
      { type: 'log.lines', run: 'a', time: at(0), iteration: 1, process: 'trainer', lines: ['from a'] },
      { type: 'log.lines', run: 'b', time: at(0), iteration: 1, process: 'trainer', lines: ['from b'] },
    ]);
    expect(state.logs[logKey('a', 1, 'trainer')]!.lines).toEqual(['from a']);
    expect(state.logs[logKey('b', 1, 'trainer')]!.lines).toEqual(['from b']);
  });

  it('updates the runs list from the open run and from state events of others', async () => {
    const fake = fakeClient({ r1: snapshot('r1'), r2: snapshot('r2') });
    disconnect = connectStore(fake.client);
    useStore.setState({ runs: [snapshot('r1').summary, snapshot('r2').summary] });
    await openRun('r1');
    enqueueEvent({ type: 'iteration.completed', run: 'r1', time: at(5), stats: iterationStats(3) });
    enqueueEvent({ type: 'run.state', run: 'r2', time: at(6), status: 'stopped', iteration: null });
    flushEvents();
    const runs = useStore.getState().runs;
    expect(runs.find((r) => r.name === 'r1')!.iterations_done).toBe(3);
    expect(runs.find((r) => r.name === 'r2')!.status).toBe('stopped');
  });

  it("takes the orchestrator's rating fit as it is pushed, keeps no rated matches, and stays bounded as a long run goes on", () => {
    const base: LoopdeckState = { ...useStore.getState(), open: { run: snapshot().state, ratings: EMPTY_FIT, logsIndex: {}, pending: null, matches: [] } };
    const games = { iteration: 1, kind: 'random' as const, a: 'iter-0001', b: 'random', a_first: { wins: 9, draws: 0, losses: 1 }, b_first: { wins: 8, draws: 0, losses: 2 } };
    const fit = {
      anchor: 'random',
      players: [{ id: 'iter-0001', elo: 321, elo_low: 250, elo_high: 392, sigma: 36, games: 20 }],
      disconnected: [],
      first_move_elo: 0,
      games: 20,
      met: { a: [], b: [], covariance: [] },
    };
    let state = reduceEvents(base, [
      { type: 'games.rated', run: 'r1', time: at(1), games },
      { type: 'ratings.fitted', run: 'r1', time: at(2), fit },
    ]);
    expect(state.open!.run.rated).toEqual([]);
    expect(state.open!.ratings.players[0]!.elo).toBe(321);
    // 1,500 more iterations arrive: the window drops what a fresh snapshot would not hold.
    const events: RunEvent[] = [];
    for (let i = 3; i <= 1_500; i++) events.push({ type: 'iteration.completed', run: 'r1', time: at(3), stats: iterationStats(i) });
    state = reduceEvents(state, events);
    const held = state.open!.run.iterations.map((s) => s.iteration);
    expect(held.length).toBeLessThan(700);
    expect(held).toEqual(expect.arrayContaining([1, 1_024, 1_400, 1_500]));
    // It still counts every iteration.
    expect(runSummary(state.open!.run).iterations_done).toBe(1_500);
  });
});

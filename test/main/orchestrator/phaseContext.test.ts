import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/shared/config/defaults';
import type { RunEvent } from '../../../src/shared/events';
import { LOCAL_EXECUTOR } from '../../../src/main/orchestrator/process/executor';
import { ProcessFailedError } from '../../../src/main/orchestrator/process/processFailedError';
import type { UnstampedEvent } from '../../../src/shared/events';
import { OrderedEmitter, runPhase, withPhaseRetries, type PhaseContext } from '../../../src/main/orchestrator/phaseContext';
import { RunPaths } from '../../../src/main/orchestrator/state/runPaths';
import { bundledDeclaration } from '../../../src/shared/games/declaration';

/** A phase context whose events are collected; `failAt` makes the nth emit (from 0) reject. */
function context(failAt = -1): { ctx: PhaseContext; events: UnstampedEvent[] } {
  const events: UnstampedEvent[] = [];
  let n = 0;
  const ctx: PhaseContext = {
    config: { ...defaultConfig('tictactoe', 'phase-test'), maxRetries: 2 },
    game: bundledDeclaration('tictactoe'),
    paths: new RunPaths('/nonexistent', 'phase-test'),
    engine: { actor: ['engine'], trainer: ['engine'], arena: ['engine'] },
    iteration: 3,
    signal: new AbortController().signal,
    graceMs: 100,
    emit: async (event) => {
      if (n++ === failAt) throw new Error('ENOSPC: no space left on device');
      events.push(event);
    },
    hooks: {},
    parent: null,
    executor: LOCAL_EXECUTOR,
  };
  return { ctx, events };
}

const types = (events: UnstampedEvent[]) => events.map((e) => e.type);
type Progress = Extract<RunEvent, { type: 'phase.progress' }>['progress'];

describe('runPhase', () => {
  it('journals started, then throttled progress with the last count always sent, then completed with the seconds', async () => {
    const { ctx, events } = context();
    const { result, seconds } = await runPhase(ctx, 'selfplay', 10, async (progress) => {
      for (let done = 1; done <= 10; done++) progress.report(done, (s) => ({ games_per_sec: done / s }));
      return 'played';
    });
    expect(result).toBe('played');
    expect(types(events)[0]).toBe('phase.started');
    expect(types(events).at(-1)).toBe('phase.completed');
    const progress = events.filter((e) => e.type === 'phase.progress').map((e) => (e as { progress: Progress }).progress);
    // Ten reports within the throttle interval: the first and the flushed last.
    expect(progress.map((p) => p.done)).toEqual([1, 10]);
    expect(progress.at(-1)).toMatchObject({ iteration: 3, phase: 'selfplay', total: 10, eta_seconds: 0 });
    expect(events[0]).toEqual({ type: 'phase.started', iteration: 3, phase: 'selfplay', total: 10 });
    expect(events.at(-1)).toEqual({ type: 'phase.completed', iteration: 3, phase: 'selfplay', seconds });
  });

  it('journals no completion for a phase whose work fails', async () => {
    const { ctx, events } = context();
    await expect(runPhase(ctx, 'train', 5, async () => Promise.reject(new Error('trainer crashed')))).rejects.toThrow('trainer crashed');
    expect(types(events)).toEqual(['phase.started']);
  });
});

describe('withPhaseRetries', () => {
  it("says in the process's log why it retries, and what the retry does", async () => {
    const { ctx, events } = context();
    let attempts = 0;
    await withPhaseRetries(
      ctx,
      'actor-1',
      async () => {
        if (attempts++ === 0)
          throw new ProcessFailedError({ processName: 'actor-1', argv: ['selfplay'], reason: 'killed by SIGKILL', exitCode: null, signal: 'SIGKILL', stalled: false, cancelled: false, logTail: [] });
      },
      () => 'for its 2 remaining episodes',
    );
    expect(events).toEqual([
      { type: 'log.lines', iteration: 3, process: 'actor-1', lines: ['[loopdeck] actor-1 failed (actor-1 failed: killed by SIGKILL); retry 1 of 2 for its 2 remaining episodes'] },
    ]);
  });
});

describe('OrderedEmitter', () => {
  it('journals events pushed from a synchronous callback in order, and rethrows a failed write at drain', async () => {
    const ok = context();
    const emitter = new OrderedEmitter(ok.ctx);
    for (let i = 1; i <= 3; i++) emitter.push({ type: 'log.lines', iteration: 3, process: 'trainer', lines: [`line ${i}`] });
    await emitter.drain();
    expect(ok.events.map((e) => (e as { lines: string[] }).lines[0])).toEqual(['line 1', 'line 2', 'line 3']);

    const full = context(1);
    const failing = new OrderedEmitter(full.ctx);
    for (let i = 1; i <= 3; i++) failing.push({ type: 'log.lines', iteration: 3, process: 'trainer', lines: [`line ${i}`] });
    await expect(failing.drain()).rejects.toThrow('ENOSPC');
    // Nothing after the failed write is journaled out of order.
    expect(full.events.map((e) => (e as { lines: string[] }).lines[0])).toEqual(['line 1']);
  });
});

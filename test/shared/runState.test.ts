import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/shared/config/defaults';
import type { RunEvent } from '../../src/shared/events';
import { foldRunEvents } from '../../src/shared/runState';
import type { IterationStats, PhaseName } from '../../src/shared/stats';

const time = '2026-01-01T00:00:00.000Z';
const base = { run: 'r', time };
const started = (iteration: number): RunEvent => ({ ...base, type: 'iteration.started', iteration, sims: 16, selfplay_model: null });
const phase = (iteration: number, name: PhaseName, total = 10): RunEvent => ({ ...base, type: 'phase.started', iteration, phase: name, total });
const progress = (iteration: number, name: PhaseName, done: number): RunEvent => ({
  ...base,
  type: 'phase.progress',
  progress: { iteration, phase: name, done, total: 10, eta_seconds: 1, rates: {} },
});
const ended = (iteration: number, name: PhaseName): RunEvent => ({ ...base, type: 'phase.completed', iteration, phase: name, seconds: 1 });
const completed = (iteration: number): RunEvent => ({ ...base, type: 'iteration.completed', stats: { iteration, total_time: 3 } as IterationStats });

describe('run state fold', () => {
  it('keeps each phase under way while the next iteration self-plays beside this one', () => {
    const events: RunEvent[] = [
      { ...base, type: 'run.created', config: defaultConfig('tictactoe', 'r'), app_version: '0' },
      { ...base, type: 'run.state', status: 'running', iteration: 1, message: 'starting' },
      started(1),
      phase(1, 'selfplay'),
      ended(1, 'selfplay'),
      started(2),
      phase(2, 'selfplay'),
      phase(1, 'train'),
      progress(2, 'selfplay', 4),
      progress(1, 'train', 7),
    ];
    const during = foldRunEvents('r', events);
    expect(during.current_iteration).toBe(2);
    expect(during.phases.map((p) => [p.iteration, p.phase, p.done])).toEqual([
      [1, 'train', 7],
      [2, 'selfplay', 4],
    ]);
    const after = foldRunEvents('r', [...events, ended(1, 'train'), phase(1, 'eval'), ended(1, 'eval'), completed(1)]);
    // Iteration 1 is done; iteration 2's self-play goes on.
    expect(after.current_iteration).toBe(2);
    expect(after.phases.map((p) => [p.iteration, p.phase])).toEqual([[2, 'selfplay']]);
    const stopped = foldRunEvents('r', [...events, { ...base, type: 'run.state', status: 'stopped', iteration: null, message: '' }]);
    expect(stopped.phases).toEqual([]);
  });

  it('adds each best.changed entry to the audit trail, reading a journal whose earlier events carry the whole trail', () => {
    const entry = (iteration: number, reason: 'initial' | 'gate' | 'manual') => ({ iteration, promoted_at: `t${iteration}`, reason, by: 'orchestrator', score: null, note: '' });
    const legacy = { ...entry(1, 'initial'), model_path: 'models/iter-0001.onnx', history: [entry(1, 'initial')] };
    const state = foldRunEvents('r', [
      { ...base, type: 'best.changed', best: legacy } as unknown as RunEvent,
      { ...base, type: 'best.changed', entry: entry(3, 'gate'), model_path: 'models/iter-0003.onnx' },
      { ...base, type: 'best.changed', entry: entry(2, 'manual'), model_path: 'models/iter-0002.onnx' },
    ]);
    expect(state.best).toMatchObject({ iteration: 2, reason: 'manual', model_path: 'models/iter-0002.onnx' });
    expect(state.best!.history.map((h) => [h.iteration, h.reason])).toEqual([
      [1, 'initial'],
      [3, 'gate'],
      [2, 'manual'],
    ]);
  });
});

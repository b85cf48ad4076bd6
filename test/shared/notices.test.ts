import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/shared/events';
import { diskNotice, noticeOf, PLATEAU_ITERATIONS } from '../../src/shared/notices';
import { emptyRunState } from '../../src/shared/runState';
import type { BestModelInfo, IterationStats } from '../../src/shared/stats';

const base = { run: 'r', time: 't' };
const entry = (iteration: number, reason: 'initial' | 'gate' | 'manual') => ({
  iteration,
  promoted_at: 't',
  reason,
  by: reason === 'manual' ? 'ada@gui' : 'orchestrator',
  score: null,
  note: reason === 'gate' ? 'score 0.61 > gate 0.55' : '',
});

describe('notices', () => {
  it('say when a run fails, stops or completes, and when a model becomes best other than as the first', () => {
    const state = { ...emptyRunState('r'), error: { message: 'trainer failed: exited with code 1\ncommand: ...' } };
    expect(noticeOf({ ...base, type: 'run.state', status: 'failed', iteration: 7, message: 'failed in iteration 7' }, state)).toEqual({
      kind: 'run.failed',
      run: 'r',
      time: 't',
      iteration: 7,
      message: 'run "r" failed in iteration 7: trainer failed: exited with code 1',
    });
    expect(noticeOf({ ...base, type: 'run.state', status: 'completed', iteration: null, message: 'the time budget of 60 minutes is spent' }, state)?.kind).toBe('run.completed');
    expect(noticeOf({ ...base, type: 'run.state', status: 'running', iteration: 1 }, state)).toBeNull();
    expect(noticeOf({ ...base, type: 'best.changed', entry: entry(1, 'initial'), model_path: 'm' }, state)).toBeNull();
    expect(noticeOf({ ...base, type: 'best.changed', entry: entry(4, 'gate'), model_path: 'm' }, state)?.message).toBe(
      'run "r": iteration 4 is the best model (gate by orchestrator: score 0.61 > gate 0.55)',
    );
  });

  it(`say once that the rating is on a plateau, ${PLATEAU_ITERATIONS} iterations after the last new best`, () => {
    const state = { ...emptyRunState('r'), best: { ...entry(10, 'gate'), model_path: 'm', history: [] } as BestModelInfo };
    const completed = (iteration: number): RunEvent => ({ ...base, type: 'iteration.completed', stats: { iteration } as IterationStats });
    const kinds = [39, 40, 41, 70].map((i) => noticeOf(completed(i), state)?.kind ?? null);
    expect(kinds).toEqual([null, 'rating.plateau', null, null]);
  });

  it('say the disk is low when it would fill within a day', () => {
    expect(diskNotice('r', 't', 9, 2e9, 5.4)?.message).toBe('run "r": 2.00 GB free on its disk, full in about 5 h at this pace');
    expect(diskNotice('r', 't', 9, 2e9, 30)).toBeNull();
    expect(diskNotice('r', 't', 9, 2e9, null)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/shared/events';
import { Orchestrator } from '../../../src/main/orchestrator/orchestrator';
import { LOSS_POINTS_PER_ITERATION } from '../../../src/main/orchestrator/trainerRunner';
import { readJournal } from '../../../src/main/orchestrator/state/journal';
import { fakeConfig, withTempDirPerTest } from './helpers';

let dir: string;
withTempDirPerTest((d) => (dir = d));

describe('the training phase', () => {
  it('journals a few loss points an iteration, evenly spread, the last step among them', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ delayMs: 0, train: { reportEvery: 1 } });
    // The fake trainer reports every step: 100 reports an iteration.
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 2, stepsPerIteration: 100 }));
    await orchestrator.run();
    await orchestrator.close();
    const { events } = await readJournal(orchestrator.paths.events);
    const points = events.flatMap((e: RunEvent) => (e.type === 'train.progress' ? [e.point] : []));
    for (const iteration of [1, 2]) {
      const steps = points.filter((p) => p.iteration === iteration).map((p) => p.step - (iteration - 1) * 100);
      expect(steps.length).toBeLessThanOrEqual(LOSS_POINTS_PER_ITERATION + 1);
      expect(steps[0]).toBeLessThanOrEqual(13);
      expect(steps.at(-1)).toBe(100);
      expect(Math.max(...steps.slice(1).map((s, k) => s - steps[k]!))).toBeLessThanOrEqual(13);
    }
  });
});

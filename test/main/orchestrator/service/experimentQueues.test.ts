import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { RunManager } from '../../../../src/main/orchestrator/service/runManager';
import type { RunEvent } from '../../../../src/shared/events';
import { TINY_FAKE_RUN, waitFor, withTempDirPerTest } from '../helpers';

let dir = '';
withTempDirPerTest((d) => (dir = d));

const spec = (name: string, seeds = 2) => ({
  name,
  seeds,
  parallel: 2,
  base: { ...TINY_FAKE_RUN, game: 'tictactoe', iterations: 3 },
  grid: { learningRate: [0.002, 0.001] },
});

it('an experiment queued through the manager: its runs reach every window, it stops, resumes and extends with more seeds', async () => {
  const manager = new RunManager({ runsDir: dir, surface: 'gui' });
  const events: RunEvent[] = [];
  manager.onEvent((e) => events.push(e));
  try {
    // Refused before anything starts: a grid naming a setting that does not exist.
    await expect(manager.startExperiment({ ...spec('bad'), grid: { learningRat: [1] } })).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringContaining('learningRat is not a setting'),
    });
    expect(existsSync(join(dir, '.experiments', 'bad.json'))).toBe(false);

    const started = await manager.startExperiment(spec('lr'));
    expect(started).toMatchObject({ name: 'lr', cells: 2, seeds: 2, runs: 4, parallel: 2, running: true });
    // Stop once the first run has an iteration done: the running runs stop, the rest stay queued.
    await waitFor(() => events.some((e) => e.type === 'iteration.completed'), 20_000);
    const stopped = await manager.stopExperiment('lr');
    expect(stopped.running).toBe(false);
    expect(stopped.done).toBeLessThan(4);
    const afterStop = await manager.listRuns();
    expect(afterStop.every((r) => r.status !== 'running')).toBe(true);

    await manager.resumeExperiment('lr');
    await expect(manager.resumeExperiment('lr')).rejects.toMatchObject({ code: 'conflict' });
    await waitFor(async () => (await manager.listExperiments())[0]?.running === false, 60_000);
    const [done] = await manager.listExperiments();
    expect(done).toMatchObject({ name: 'lr', runs: 4, done: 4, running: false });
    // Each run is tagged with its cell and seed, and its events reached the manager's listeners.
    const runs = (await manager.listRuns()).filter((r) => r.experiment?.name === 'lr');
    expect(runs.map((r) => `${r.name} ${r.experiment!.cell} ${r.experiment!.seed_index}`).sort()).toEqual(['lr-c1-s1 1 1', 'lr-c1-s2 1 2', 'lr-c2-s1 2 1', 'lr-c2-s2 2 2']);
    expect(new Set(events.filter((e) => e.type === 'iteration.completed').map((e) => e.run))).toEqual(new Set(runs.map((r) => r.name)));

    // The same base and grid with a third seed extends it; other settings under the name are refused.
    await expect(manager.startExperiment({ ...spec('lr'), grid: { learningRate: [0.003] } })).rejects.toThrow(/an experiment named "lr" with other settings exists/);
    await manager.startExperiment(spec('lr', 3));
    await waitFor(async () => (await manager.listExperiments())[0]?.running === false, 60_000);
    expect((await manager.listExperiments())[0]).toMatchObject({ runs: 6, done: 6 });
  } finally {
    await manager.shutdown();
  }
}, 120_000);

it("a run that fails, or cannot be started, is named in the experiment's status with why, and the others run to the end", async () => {
  // Training crashes at its 5th step: the cell of 6 steps a iteration fails (after its retries), the cell of 4 does not.
  process.env.FAKE_ENGINE = JSON.stringify({ train: { crash: { afterSteps: 5 } } });
  // A folder in the way of one run: its journal does not start with the run's creation.
  await mkdir(join(dir, 'fail-c1-s2'));
  await writeFile(join(dir, 'fail-c1-s2', 'events.jsonl'), 'not a journal\n');
  const manager = new RunManager({ runsDir: dir, surface: 'gui' });
  try {
    await manager.startExperiment({ ...spec('fail'), base: { ...spec('fail').base, iterations: 1, maxRetries: 0 }, grid: { stepsPerIteration: [4, 6] } });
    await waitFor(async () => (await manager.listExperiments())[0]?.running === false, 60_000);
    const [status] = await manager.listExperiments();
    expect(status).toMatchObject({ runs: 4, done: 1, running: false });
    expect(status!.failed.map((f) => f.run)).toEqual(['fail-c1-s2', 'fail-c2-s1', 'fail-c2-s2']);
    expect(status!.failed[0]!.message).toMatch(/events\.jsonl/);
    expect(status!.failed[1]!.message).toBe('the run failed; its log says why');
  } finally {
    await manager.shutdown();
  }
}, 60_000);

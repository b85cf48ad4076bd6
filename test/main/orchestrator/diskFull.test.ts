import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/shared/events';
import { Orchestrator } from '../../../src/main/orchestrator/orchestrator';
import { RunManager } from '../../../src/main/orchestrator/service/runManager';
import { smallFilesystem } from '../../fixtures/smallFilesystem';
import { fakeConfig, isAlive, withTempDirPerTest } from './helpers';

withTempDirPerTest(() => {});

const MB = 1_000_000;

/** A run of the fake engine in a small file system, each self-play shard padded to `shardBytes`. */
async function runOnSmallDisk(diskBytes: number, shardBytes: number, iterations: number) {
  const fs = await smallFilesystem(diskBytes);
  if ('unavailable' in fs) return fs;
  process.env.FAKE_ENGINE = JSON.stringify({ selfplay: { shardBytes } });
  const pids: number[] = [];
  const orchestrator = await Orchestrator.create(fakeConfig(fs.dir, { iterations, episodesPerIteration: 6, keepReplayIterations: 0 }), { onSpawn: (_, pid) => pids.push(pid) });
  const events: RunEvent[] = [];
  orchestrator.onEvent((e) => events.push(e));
  const outcome = await orchestrator.run();
  await orchestrator.close();
  return { fs, orchestrator, outcome, events, pids };
}

const lastState = (events: RunEvent[]) => events.filter((e) => e.type === 'run.state').at(-1) as Extract<RunEvent, { type: 'run.state' }>;

describe('a full disk', () => {
  it('before a phase that would not fit, stops the run cleanly, naming the folder, the space needed and the setting; it resumes once there is room', async (ctx) => {
    // Each iteration writes 4 shards of 10 MB (2 actors, 3 games each, a shard every 2 games); the check keeps 16 MB beyond a phase's estimate.
    const run = await runOnSmallDisk(100 * MB, 10 * MB, 2);
    if ('unavailable' in run) return ctx.skip(run.unavailable);
    const { fs, orchestrator, outcome, events } = run;
    try {
      expect(outcome).toBe('stopped');
      expect(lastState(events)).toMatchObject({
        status: 'stopped',
        message: expect.stringMatching(
          new RegExp(
            `stopped during iteration 2: the disk of ${orchestrator.paths.root} has \\d+\\.\\d+ MB free, and iteration 2's self-play needs about \\d+(\\.\\d+)? MB: free some space, move the run to a larger disk, or lower keepReplayIterations`,
          ),
        ),
      });
      // Nothing half-written: the journal and the projections read, and say iteration 1 is done.
      expect(JSON.parse(await readFile(orchestrator.paths.loopStats, 'utf8')).iterations.map((s: { iteration: number }) => s.iteration)).toEqual([1]);
      fs.resize(400 * MB);
      const resumed = await Orchestrator.open(fs.dir, 'fake');
      expect(await resumed.run()).toBe('completed');
      expect(resumed.view().state.iterations.map((s) => s.iteration)).toEqual([1, 2]);
      expect(resumed.view().state.iterations[0]!.bytes_written).toMatchObject({ selfplay: 4 * 10 * MB });
      await resumed.close();
      // What the panel shows: the folder's size (two iterations of 40 MB replay), its growth and the free space.
      const usage = await new RunManager({ runsDir: fs.dir, surface: 'test' }).diskUsage('fake');
      expect(usage.run_bytes).toBeGreaterThan(80 * MB);
      expect(usage.free_bytes).toBeLessThan(400 * MB - 80 * MB);
      expect(usage.growth_bytes_per_hour).toBeGreaterThan(0);
    } finally {
      await fs.cleanup();
    }
  }, 120_000);

  it('a writer that hits ENOSPC mid-phase stops the run the same way, not retried, with nothing half-written, and it resumes', async (ctx) => {
    // The first iteration, with no sizes to judge by, starts; its 160 MB of shards do not fit in 100.
    const run = await runOnSmallDisk(100 * MB, 40 * MB, 1);
    if ('unavailable' in run) return ctx.skip(run.unavailable);
    const { fs, orchestrator, outcome, events, pids } = run;
    try {
      expect(outcome).toBe('stopped');
      expect(lastState(events)).toMatchObject({
        status: 'stopped',
        message: expect.stringMatching(/stopped during iteration 1: the disk filled up \(actor-\d failed: .*\); free some space, then resume/),
      });
      expect(events.some((e) => e.type === 'log.lines' && e.lines.some((l) => /retry 1 of/.test(l)))).toBe(false);
      expect(pids.filter(isAlive)).toEqual([]);
      expect((await readFile(orchestrator.paths.events, 'utf8')).endsWith('\n')).toBe(true);
      fs.resize(600 * MB);
      const resumed = await Orchestrator.open(fs.dir, 'fake');
      expect(await resumed.run()).toBe('completed');
      await resumed.close();
    } finally {
      await fs.cleanup();
    }
  }, 120_000);
});

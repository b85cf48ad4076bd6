import { expect, it } from 'vitest';
import { RunManager } from '../../../../src/main/orchestrator/service/runManager';
import { TINY_FAKE_RUN, waitFor, withTempDirPerTest } from '../helpers';

let dir = '';
withTempDirPerTest((d) => (dir = d));

const tiny = (name: string, game = 'tictactoe') => ({ ...TINY_FAKE_RUN, name, game });

it('plays a scale in the background through the API, refusing runs that cannot share one before anything plays', async () => {
  const manager = new RunManager({ runsDir: dir, surface: 'gui' });
  try {
    const ended = new Set<string>();
    manager.onEvent((e) => e.type === 'run.state' && e.status === 'completed' && ended.add(e.run));
    for (const run of [tiny('a'), tiny('b'), tiny('c4', 'connect4')]) await manager.startRun(run);
    await waitFor(() => ended.size === 3, 60_000);

    await expect(manager.startScale('mixed', ['a', 'c4'], 4)).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining('only runs of one game share a scale') });
    await expect(manager.getScale('mixed')).rejects.toMatchObject({ code: 'not_found' });
    await expect(manager.startScale('s', ['a', 'b'], 1)).rejects.toMatchObject({ code: 'bad_request' });

    const started = await manager.startScale('s', ['a', 'b'], 4);
    expect(started.report).toMatchObject({ matches: 5, played_matches: 0 });
    await expect(manager.startScale('s', ['a', 'b'], 4)).rejects.toMatchObject({ code: 'conflict' });
    await waitFor(async () => !(await manager.getScale('s')).running, 30_000);
    const { report, error } = await manager.getScale('s');
    expect(error).toBeNull();
    expect(report).toMatchObject({ matches: 5, played_matches: 5, games: 20, pairs: [{ a: 'a', b: 'b', link: 'games' }] });
    expect(report.runs.every((r) => r.elo !== null && r.low! <= r.elo! && r.elo! <= r.high!)).toBe(true);
  } finally {
    await manager.shutdown();
  }
}, 90_000);

import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/shared/config/defaults';
import type { ConfigChanges } from '../../../src/shared/config/changes';
import type { LoopConfig } from '../../../src/shared/config/fields';
import { SettingsChanges } from '../../../src/main/orchestrator/settingsChanges';

/** Settings changes on a run whose journal is a list of commits. */
function run(running: boolean) {
  let config: LoopConfig = defaultConfig('tictactoe', 'settings-test');
  const commits: { changes: ConfigChanges; by: string; from: number }[] = [];
  const host = {
    name: 'settings-test',
    config: () => config,
    isRunning: () => running,
    nextIteration: () => 4,
    currentIteration: () => (running ? 4 : null),
    commit: async (changes: ConfigChanges, by: string, from: number) => {
      commits.push({ changes, by, from });
      config = { ...config, ...Object.fromEntries(Object.entries(changes).map(([k, c]) => [k, c!.to])) };
    },
  };
  return { settings: new SettingsChanges(host), commits, config: () => config };
}

describe('SettingsChanges', () => {
  it('on a run at rest, journals a change at once, from the iteration it resumes at', async () => {
    const { settings, commits } = run(false);
    expect(await settings.change({ evalGames: '12' }, 'ada@cli')).toEqual({ changes: { evalGames: { from: 40, to: 12 } }, from_iteration: 4, pending: false });
    expect(commits).toEqual([{ changes: { evalGames: { from: 40, to: 12 } }, by: 'ada@cli', from: 4 }]);
  });

  it('on a running run, holds changes (later ones on top of earlier) until the next iteration starts', async () => {
    const { settings, commits, config } = run(true);
    expect(await settings.change({ evalGames: 12 }, 'ada@gui')).toMatchObject({ from_iteration: 5, pending: true });
    await settings.change({ learningRate: 0.001 }, 'ada@gui');
    expect(commits).toEqual([]);
    expect(settings.upcoming).toMatchObject({ evalGames: 12, learningRate: 0.001 });
    await settings.applyFrom(5);
    expect(commits).toEqual([{ changes: { evalGames: { from: 40, to: 12 }, learningRate: { from: 0.002, to: 0.001 } }, by: 'ada@gui', from: 5 }]);
    expect(config()).toMatchObject({ evalGames: 12, learningRate: 0.001 });
    expect(settings.upcoming).toBeNull();
  });

  it('refuses a fixed setting or a bad value, naming the field, and changes nothing', async () => {
    const { settings, commits } = run(false);
    await expect(settings.change({ game: 'connect4' }, 'x')).rejects.toMatchObject({ code: 'invalid_config', errors: [expect.objectContaining({ field: 'game' })] });
    await expect(settings.change({ evalGames: 0 }, 'x')).rejects.toThrow(/evalGames must be a whole number from 2/);
    expect(commits).toEqual([]);
  });
});

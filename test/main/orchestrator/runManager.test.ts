import { afterEach, beforeEach, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/api';
import { RunManager } from '../../../src/main/orchestrator/runManager';
import { FAKE_ENGINE, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

it('refuses settings that run commands from a surface that may not set them, naming each field and the fix', async () => {
  const web = new RunManager({ runsDir: dir, surface: 'web', allowCommands: false });
  const error = await web.startRun({ name: 'r', actorCommand: 'touch /tmp/pwned', trainerCommand: ['sh', '-c', 'x'] }).catch((e) => e);
  expect(error).toBeInstanceOf(ApiError);
  expect(error.code).toBe('invalid_config');
  expect(error.errors.map((e: { field: string }) => e.field)).toEqual(['actorCommand', 'trainerCommand']);
  expect(error.message).toMatch(/loopdeck serve --allow-commands/);
  expect(await web.listRuns()).toEqual([]);
  // Empty commands mean the bundled engine, which is always allowed.
  const ok = await web.validateConfig({ name: 'r', actorCommand: '' });
  expect(ok.ok).toBe(true);
});

it('takes commands when allowed', async () => {
  const manager = new RunManager({ runsDir: dir, surface: 'web', allowCommands: true });
  const run = await manager.startRun({ name: 'r', iterations: 1, episodesPerIteration: 2, stepsPerIteration: 2, evalGames: 2, actorCommand: FAKE_ENGINE, trainerCommand: FAKE_ENGINE, arenaCommand: FAKE_ENGINE });
  expect(run.name).toBe('r');
  await manager.shutdown();
});

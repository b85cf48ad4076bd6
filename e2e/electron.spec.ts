import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const root = resolve(import.meta.dirname, '..');
// Electron 45 fetches its binary on first launch; it records the binary's path in path.txt.
const installed = existsSync(join(root, 'node_modules', 'electron', 'path.txt'));

test('the desktop app opens its window with the dashboard', async () => {
  test.skip(!installed, 'Electron binary not installed (node_modules/electron/path.txt missing; it cannot be downloaded on this machine)');
  test.skip(process.platform === 'linux' && !process.env.DISPLAY, 'no display (run under xvfb-run)');
  const app = await electron.launch({ args: [root], env: { ...process.env, LOOPDECK_RUNS_DIR: join(root, 'test-results', 'electron-runs') } });
  const window = await app.firstWindow();
  await expect(window.getByRole('button', { name: 'New run' })).toBeVisible();
  // The renderer has no Node: no require, no process; only the narrow bridge.
  const globals = await window.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    bridge: Object.keys((globalThis as { loopdeck?: object }).loopdeck ?? {}).sort(),
  }));
  expect(globals.require).toBe('undefined');
  expect(globals.process).toBe('undefined');
  expect(globals.bridge).toContain('startRun');
  await app.close();
});

#!/usr/bin/env node
// `npm start`: open the desktop app where a display exists; otherwise (or if
// Electron cannot start here) train tic-tac-toe headless into ./runs/ with
// the bundled defaults. Extra arguments go to `loopdeck run` when headless.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const hasDisplay = process.platform === 'darwin' || process.platform === 'win32' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

function runHeadless(reason) {
  console.log(`${reason}: training headless instead (loopdeck run; the dashboard is also available with "npx loopdeck serve").`);
  const result = spawnSync(process.execPath, [join(root, 'bin', 'loopdeck.js'), 'run', ...args], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

function isBuilt() {
  const main = join(root, 'out', 'main', 'index.js');
  const renderer = join(root, 'out', 'renderer', 'index.html');
  return existsSync(main) && existsSync(renderer) && statSync(main).mtimeMs > statSync(join(root, 'package.json')).mtimeMs;
}

if (!hasDisplay) runHeadless('No display found (DISPLAY is not set)');

if (!isBuilt()) {
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

let electronPath;
try {
  // Electron 45 fetches its binary on first use; where that cannot happen this throws.
  electronPath = createRequire(import.meta.url)('electron');
} catch (error) {
  runHeadless(`Electron cannot start on this machine (${String(error.message).split('\n')[0]})`);
}
const app = spawnSync(electronPath, [root], { stdio: 'inherit', cwd: root });
process.exit(app.status ?? 0);

#!/usr/bin/env node
// `npm run test:e2e`: the Playwright end-to-end tests in a Chromium found on this
// machine (CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's own); with
// none, one line that says how to get one. Arguments go to `playwright test`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

function playwrightChromium() {
  try {
    const path = createRequire(import.meta.url)('playwright-core').chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', playwrightChromium()].filter(Boolean);
const chromium = candidates.find((path) => existsSync(path));
if (!chromium) {
  console.error('e2e: no Chromium here; install one with "sudo apt-get install chromium" (Debian) or "npx playwright install chromium", then run the tests again');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: chromium } });
process.exit(result.status ?? 1);

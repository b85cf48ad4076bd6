#!/usr/bin/env node
// `npm run test:e2e`: the Playwright end-to-end tests in a Chromium found on this machine
// (CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's own). With none, it gets one and
// says how: Debian's chromium with apt-get where this user may install packages (root, or
// password-less sudo), else Playwright's own download where the network allows it.
// LOOPDECK_E2E_NO_INSTALL=1 turns the install off. Arguments go to `playwright test`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { aptInstall, run } from './debianPackages.js';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

function playwrightChromium() {
  try {
    const path = createRequire(import.meta.url)('playwright-core').chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function findChromium() {
  return [process.env.CHROMIUM_PATH, DEBIAN_CHROMIUM, playwrightChromium()].filter(Boolean).find((path) => existsSync(path)) ?? null;
}

function installChromium() {
  console.error("e2e: no Chromium here; installing Debian's chromium package with apt-get where this user may");
  if (aptInstall(['chromium'], 'e2e') && existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  console.error("e2e: trying Playwright's own Chromium (a download from Playwright's servers)");
  if (run(process.execPath, ['node_modules/@playwright/test/cli.js', 'install', 'chromium'], 'e2e')) return playwrightChromium();
  return null;
}

let chromium = findChromium();
if (!chromium && process.env.LOOPDECK_E2E_NO_INSTALL !== '1') chromium = installChromium();
if (!chromium) {
  console.error(
    'e2e: no Chromium, and none could be installed here. Install one with "sudo apt-get install chromium" (Debian) or "npx playwright install chromium", or set CHROMIUM_PATH, then run the tests again',
  );
  process.exit(1);
}
console.error(`e2e: Chromium at ${chromium}`);
const result = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: chromium } });
process.exit(result.status ?? 1);

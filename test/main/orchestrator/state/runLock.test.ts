import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { acquireRunLock, lockHolder } from '../../../../src/main/orchestrator/state/runLock';
import { tempDir } from '../helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const TAKER = resolve(__dirname, '../../../fixtures/lock-taker.ts');

/** A lock taker process: `ready` once it waits for the start file, `outcome` its verdict. */
function taker(lock: string, start: string): { ready: Promise<void>; outcome: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', TAKER, lock, start], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) markReady();
  });
  const outcome = new Promise<string>((done) => child.on('close', () => done(out.replace(/^ready\n/, '').trim())));
  return { ready, outcome };
}

it('of several processes finding the same stale lock, exactly one takes it over', async () => {
  const lock = join(dir, 'run.lock');
  const start = join(dir, 'go');
  // A pid that cannot be alive: the lock is stale.
  await writeFile(lock, '999999999');
  const racers = Array.from({ length: 6 }, () => taker(lock, start));
  await Promise.all(racers.map((r) => r.ready));
  await writeFile(start, '');
  const outcomes = await Promise.all(racers.map((r) => r.outcome));
  expect(outcomes.filter((o) => o === 'got')).toHaveLength(1);
  expect(outcomes.filter((o) => /^refused: the run is already active in process \d+/.test(o))).toHaveLength(5);
}, 30_000);

it('refuses a second holder in the same process, and frees the lock on release', async () => {
  const lock = join(dir, 'run.lock');
  const release = await acquireRunLock(lock);
  expect(await lockHolder(lock)).toBe(process.pid);
  await expect(acquireRunLock(lock)).rejects.toThrow(/already open in this process/);
  await release();
  expect(await lockHolder(lock)).toBeNull();
  const again = await acquireRunLock(lock);
  await again();
});

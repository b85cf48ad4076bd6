import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { validateConfig } from '../../../src/shared/config/validate';
import type { LoopConfig, LoopConfigInput } from '../../../src/shared/config/fields';

export const FAKE_ENGINE = [process.execPath, resolve(__dirname, '../../fixtures/fake-engine.mjs')];
/** The fake engine as one command line, for --actor-command and the like. */
const FAKE_ENGINE_LINE = FAKE_ENGINE.map((a) => JSON.stringify(a)).join(' ');
/** Settings of a tiny run whose every process is the fake engine (2 iterations of a few games). */
export const TINY_FAKE_RUN = {
  iterations: 2,
  episodesPerIteration: 4,
  stepsPerIteration: 2,
  evalGames: 4,
  ladderGames: 0,
  actorCommand: FAKE_ENGINE,
  trainerCommand: FAKE_ENGINE,
  arenaCommand: FAKE_ENGINE,
};
/** `loopdeck run` flags that make every process of a run the fake engine. */
export const FAKE_ENGINE_FLAGS = ['--actor-command', FAKE_ENGINE_LINE, '--trainer-command', FAKE_ENGINE_LINE, '--arena-command', FAKE_ENGINE_LINE];

const CLI = resolve(__dirname, '../../../bin/loopdeck.js');

/** `loopdeck <args>` started in `cwd`: the child, its exit code, and what it has printed so far. */
export function runCli(cwd: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, done, out: () => stdout, err: () => stderr };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'loopdeck-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fresh temporary folder for each test of the file, handed to `onDir`, with the fake engine's
 * state file in it and the fake engine's behaviour reset.
 */
export function withTempDirPerTest(onDir: (dir: string) => void): void {
  let cleanup = async () => {};
  beforeEach(async () => {
    const temp = await tempDir();
    cleanup = temp.cleanup;
    onDir(temp.dir);
    delete process.env.FAKE_ENGINE;
    process.env.FAKE_ENGINE_STATE = `${temp.dir}/fake-state`;
  });
  afterEach(async () => {
    delete process.env.FAKE_ENGINE;
    await cleanup();
  });
}

export const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

/** A tiny run on the fake engine. */
export function fakeConfig(runsDir: string, overrides: LoopConfigInput = {}): LoopConfig {
  const result = validateConfig({
    name: 'fake',
    runsDir,
    game: 'tictactoe',
    iterations: 2,
    episodesPerIteration: 6,
    stepsPerIteration: 5,
    numActors: 2,
    evalGames: 4,
    stallTimeout: 10,
    actorCommand: FAKE_ENGINE,
    trainerCommand: FAKE_ENGINE,
    arenaCommand: FAKE_ENGINE,
    ...overrides,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

import { readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { JournalWriter, readJournal } from '../../../../src/main/orchestrator/state/journal';
import { RunPaths } from '../../../../src/main/orchestrator/state/runPaths';
import { StatsManager } from '../../../../src/main/orchestrator/statsManager';
import { fakeConfig, tempDir } from '../helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function newRun(): Promise<{ paths: RunPaths; good: string }> {
  const config = fakeConfig(dir);
  const paths = new RunPaths(dir, config.name);
  await StatsManager.create(paths, config, { engine: { actor: ['a'], trainer: ['t'], arena: ['r'] }, appVersion: 'test' });
  return { paths, good: await readFile(paths.events, 'utf8') };
}

it('cuts a torn final line off by truncating the journal in place, and appends cleanly after', async () => {
  const { paths, good } = await newRun();
  await writeFile(paths.events, `${good}{"type":"run.state","run":"fake","ti`);
  const inode = (await stat(paths.events)).ino;
  const stats = await StatsManager.open(paths);
  expect(stats.repairs.join('\n')).toMatch(/cut a torn final line off/);
  expect(await readFile(paths.events, 'utf8')).toBe(good);
  // The same file, truncated; not a rewritten copy.
  expect((await stat(paths.events)).ino).toBe(inode);
  await stats.append({ type: 'run.state', run: 'fake', time: new Date().toISOString(), status: 'stopped', iteration: null });
  const after = await readJournal(paths.events);
  expect(after.events.map((e) => e.type)).toEqual(['run.created', 'run.state']);
  expect(after.tornTail).toBeNull();
});

it('gives a final event whose newline was lost its newline back, so the next append does not join it', async () => {
  const { paths, good } = await newRun();
  await writeFile(paths.events, good.trimEnd());
  const stats = await StatsManager.open(paths);
  expect(stats.repairs.join('\n')).toMatch(/newline a crash left out/);
  await stats.append({ type: 'run.state', run: 'fake', time: new Date().toISOString(), status: 'stopped', iteration: null });
  expect((await readJournal(paths.events)).events.map((e) => e.type)).toEqual(['run.created', 'run.state']);
  await JournalWriter.repairTail(paths.events, await readJournal(paths.events));
  expect(await readFile(paths.events, 'utf8')).toMatch(/\n$/);
});

import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli, tempDir } from '../orchestrator/helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const runJson = async (run: string) => JSON.parse(await readFile(join(dir, 'runs', run, 'run.json'), 'utf8'));

it('records what a run is made with, and reruns it from that record, saying what changed since', async () => {
  // The engine is a file of its own, so that changing it shows in the record.
  const engine = join(dir, 'engine.mjs');
  await copyFile(resolve(__dirname, '../../fixtures/fake-engine.mjs'), engine);
  const command = `${process.execPath} ${engine}`;
  const flags = ['--iterations', '2', '--episodes-per-iteration', '4', '--steps-per-iteration', '5', '--eval-games', '4', '--ladder-games', '0', '--seed', '77'];
  const first = runCli(dir, ['run', '--name', 'orig', ...flags, '--actor-command', command, '--trainer-command', command, '--arena-command', command]);
  expect(await first.done).toBe(0);
  const record = (await runJson('orig')).provenance;
  expect(record).toMatchObject({ node: process.version, seed: 77, executor: 'local', machine: { cores: expect.any(Number) } });
  expect(record.loopdeck.version).toMatch(/^\d+\.\d+\.\d+/);
  // Each engine's answer to `version`, asked once for the three roles' one command.
  expect(record.engines.map((e: { version: { name: string; version: string } }) => `${e.version.name} ${e.version.version}`)).toEqual(Array(3).fill('fake-engine 1.0.0'));
  expect(record.engines[0].version.details).toEqual({ node: process.version });
  expect(record.engines.find((e: { role: string }) => e.role === 'actor').files).toEqual([
    { path: process.execPath, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    { path: engine, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
  ]);

  await writeFile(engine, `${await readFile(engine, 'utf8')}\n// changed\n`);
  const again = runCli(dir, ['rerun', 'orig'], { FAKE_ENGINE: JSON.stringify({ version: { version: '1.1.0' } }) });
  expect(await again.done).toBe(0);
  expect(again.out()).toContain('Rerunning "orig" as "orig-rerun": the settings it was created with, seed 77, the same engine commands.');
  expect(again.out()).toContain(`differs from the record: actor file ${engine}: its contents changed`);
  expect(again.out()).toContain(`differs from the record: trainer version: "fake-engine 1.0.0 (node ${process.version})" then, "fake-engine 1.1.0 (node ${process.version})" now`);
  const rerun = await runJson('orig-rerun');
  expect(rerun.config).toMatchObject({ seed: 77, iterations: 2, episodesPerIteration: 4, actorCommand: [process.execPath, engine] });
  expect((await runJson('orig-rerun')).provenance.engines[0].files[1].sha256).not.toBe(record.engines[0].files[1].sha256);
  // A rerun takes no settings: it is the record; fork or run change settings.
  const third = runCli(dir, ['rerun', 'orig', '--iterations', '1']);
  expect(await third.done).not.toBe(0);
  expect(third.err()).toMatch(/unknown option '--iterations'/);
}, 60_000);

it('records an engine without the version subcommand by its files, with the reason', async () => {
  const flags = ['--iterations', '1', '--episodes-per-iteration', '2', '--steps-per-iteration', '2', '--eval-games', '2', '--ladder-games', '0'];
  const command = `${process.execPath} ${resolve(__dirname, '../../fixtures/fake-engine.mjs')}`;
  const run = runCli(dir, ['run', '--name', 'old', ...flags, '--actor-command', command, '--trainer-command', command, '--arena-command', command], {
    FAKE_ENGINE: JSON.stringify({ version: { missing: true } }),
  });
  expect(await run.done).toBe(0);
  const [actor] = (await runJson('old')).provenance.engines;
  expect(actor.version).toBeNull();
  expect(actor.version_error).toBe('it does not answer "version" (exit 2: [fake version] unknown subcommand version)');
  expect(actor.files).toHaveLength(2);
}, 60_000);

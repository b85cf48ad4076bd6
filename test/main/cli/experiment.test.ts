import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeExperimentToml } from '../../fixtures/fakeExperiment';
import { runCli, tempDir } from '../orchestrator/helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const toml = (grid: string, extra = '') => fakeExperimentToml({ name: 'exp', grid, extra });

it('runs settings x seeds, keeps each run as a cell, compares the cells with the base, and resumes as a no-op when done', async () => {
  const file = join(dir, 'exp.toml');
  await writeFile(file, toml('learningRate = [0.002, 0.001]\nreplayWindow = [4, 2]'));
  const first = runCli(dir, ['experiment', file]);
  expect(await first.done).toBe(0);
  expect(first.out()).toContain('experiment "exp": 4 cells x 2 seeds = 8 runs, 2 at a time, equal iterations: 2 a run');
  const run = JSON.parse(await readFile(join(dir, 'runs', 'exp-c4-s2', 'run.json'), 'utf8'));
  expect(run.experiment).toEqual({ name: 'exp', cell: 4, label: 'learningRate 0.001, replayWindow 2', seed_index: 2 });
  expect(run.config).toMatchObject({ learningRate: 0.001, replayWindow: 2, seed: 2 });
  const table = first
    .out()
    .split('\n')
    .filter((l) => /^[1-4] {2}/.test(l));
  expect(table).toHaveLength(4);
  expect(table[0]).toMatch(/^1 +learningRate 0\.002, replayWindow 4 +2\/2 .* base$/);
  expect(table[3]).toMatch(/learningRate 0\.001, replayWindow 2 +2\/2 .*(more than|within) seed noise$/);

  const again = runCli(dir, ['experiment', file, '--csv']);
  expect(await again.done).toBe(0);
  expect(again.out().match(/already done/g)).toHaveLength(8);
  const csv = again
    .out()
    .split('\n')
    .filter((l) => /^(cell|\d),/.test(l));
  expect(csv[0]).toMatch(/^cell,settings,runs,elo_mean,elo_low,elo_high/);
  expect(csv).toHaveLength(5);

  // The curves: each cell's mean and 95% interval across its 2 seeds at each iteration, as CSV and JSON.
  const curves = runCli(dir, ['experiment', file, '--report', '--curves']);
  expect(await curves.done).toBe(0);
  const lines = curves.out().trim().split('\n');
  expect(lines[0]).toBe('measure,cell,settings,x,runs,mean,low,high');
  const rating = lines.filter((l) => l.startsWith('rating,')).map((l) => l.split(','));
  expect(new Set(rating.map((r) => r[1]))).toEqual(new Set(['1', '2', '3', '4']));
  const last = rating.filter((r) => r[1] === '1').at(-1)!;
  // x = 2 (the last iteration), both seeds counted, the mean inside its interval.
  expect(Number(last.at(-5))).toBe(2);
  expect(last.at(-4)).toBe('2');
  const [mean, low, high] = last.slice(-3).map(Number);
  expect(low! <= mean! && mean! <= high!).toBe(true);
  const json = runCli(dir, ['experiment', file, '--report', '--json']);
  expect(await json.done).toBe(0);
  const parsed = JSON.parse(json.out());
  expect(parsed.curves.rating).toHaveLength(4);
  expect(parsed.curves.rating[0].points.at(-1)).toMatchObject({ x: 2, n: 2 });
}, 120_000);

it('refuses a grid that cannot be run before any run starts, naming the cell and the field', async () => {
  const cases: [string, RegExp][] = [
    ['name = ["a", "b"]', /\[grid\] name cannot vary across cells: the name is the run's folder/],
    ['iterations = [2, 4]', /\[grid\] iterations cannot vary across cells: every cell gets the same compute; set it in \[base\]/],
    ['learningRat = [0.1]', /\[grid\] learningRat is not a setting; check its spelling/],
    ['learningRate = [0.002, 5]', /cell 2 \(learningRate 5\): learningRate must be a number from 1e-7 to 1 \(got 5\)/],
  ];
  const tooLong = toml('learningRate = [0.002, 0.001]', 'budgetHours = 0.5').replace('iterations = 2', 'timeBudgetMinutes = 30');
  for (const [text, message] of [...cases.map(([grid, m]) => [toml(grid), m] as const), [tooLong, /4 runs of 30 minutes, 2 at a time, take 1\.0 hours, more than budgetHours 0\.5/] as const]) {
    const file = join(dir, 'bad.toml');
    await writeFile(file, text);
    const cli = runCli(dir, ['experiment', file]);
    expect(await cli.done).toBe(2);
    expect(cli.err()).toMatch(message);
  }
  expect(existsSync(join(dir, 'runs'))).toBe(false);
}, 60_000);

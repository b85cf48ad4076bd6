/**
 * An experiment run from the CLI (2 x 2 cells, 2 seeds, the fake engine), compared in the panel:
 * Compare selects its runs with one button and shows its table, each cell against the base.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { fakeExperimentToml } from '../test/fixtures/fakeExperiment';
import { serveForFile, type Served } from './serve';

let served: Served;
serveForFile((s) => (served = s));

test("an experiment's cells compared with its base in the Compare view", async ({ page }) => {
  const file = join(served.runsDir, '..', `exp-${Date.now()}.toml`);
  await writeFile(file, fakeExperimentToml({ name: 'lr', grid: 'learningRate = [0.002, 0.001]\nreplayWindow = [4, 2]' }));
  const cli = spawnSync(process.execPath, [resolve(import.meta.dirname, '../bin/loopdeck.js'), 'experiment', file, '--runs-dir', served.runsDir], { encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
  expect(cli.stdout).toContain('4 cells x 2 seeds = 8 runs');

  await page.goto(served.url);
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.getByRole('button', { name: 'Experiment lr' }).click();
  const table = page.getByRole('table', { name: 'Cells of lr' });
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await expect(table.locator('tbody tr').first()).toContainText('learningRate 0.002, replayWindow 4');
  await expect(table.locator('tbody tr').first().locator('td').last()).toHaveText('base');
  await expect(table.locator('tbody tr').nth(3).locator('td').last()).toHaveText(/^[+-]\d+ \[-?\d+, -?\d+\] (more than|within) seed noise$/);
  await expect(table.locator('tbody tr').nth(3).locator('td').nth(2)).toHaveText('2/2');
  await page.screenshot({ path: 'e2e/artifacts/experiment.png', fullPage: true });
});

/**
 * An experiment started from the panel on the bundled engine: a 2 x 2 tic-tac-toe grid, 2 seeds,
 * 2 runs at a time. Stopped part-way (a running run stops gracefully, the rest stay queued) and
 * resumed from the panel to the end; its table and grouped charts appear, and its runs' best models
 * are put on one rating scale.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { serveForFile, type Served } from './serve';

let served: Served;
serveForFile((s) => (served = s));

test('a 2x2 tic-tac-toe experiment started, stopped, resumed and compared from the panel', async ({ page }) => {
  test.setTimeout(480_000);
  await page.goto(served.url);
  await page.getByRole('button', { name: 'New experiment' }).click();
  const form = page.getByRole('form', { name: 'New experiment' });
  await form.getByLabel('Experiment name').fill('ttt');
  await form.getByLabel('Game', { exact: true }).selectOption('tictactoe');
  await form.getByLabel('Seeds', { exact: true }).fill('2');
  await form.getByLabel('Runs at a time').fill('2');
  await form.getByLabel('Minutes per run').fill('0');
  await form.getByLabel('Iterations per run').fill('3');
  await form.getByLabel('Other base settings').fill('episodesPerIteration = 8\nstepsPerIteration = 10\nevalGames = 4\nladderGames = 0');
  await form.getByLabel('Values of setting 1').fill('0.002, 0.001');
  await form.getByRole('button', { name: 'Add a setting' }).click();
  await form.getByLabel('Setting 2', { exact: true }).selectOption('replayWindow');
  await form.getByLabel('Values of setting 2').fill('4, 2');
  await expect(form.getByRole('status', { name: 'Experiment size' })).toHaveText('4 cells x 2 seeds = 8 runs (equal iterations: 3 a run), 2 at a time.');
  // A value out of range is refused before anything starts, naming the cell and the field.
  await form.getByLabel('Values of setting 2').fill('4, -2');
  await expect(form.getByRole('alert')).toContainText('cell 2 (learningRate 0.002, replayWindow -2)');
  await expect(form.getByRole('button', { name: 'Start experiment' })).toBeDisabled();
  await form.getByLabel('Values of setting 2').fill('4, 2');
  await form.getByRole('button', { name: 'Start experiment' }).click();

  // Compare follows the experiment: its queue, its runs as they are created.
  const progress = page.getByRole('status', { name: 'Progress of ttt' });
  await expect(progress).toContainText(/of 8 runs done .*, running$/);
  await expect(progress).toContainText(/^Experiment ttt: [1-7] of 8 runs done/, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Stop experiment' }).click();
  await expect(page.getByRole('button', { name: 'Resume experiment' })).toBeVisible({ timeout: 60_000 });
  await expect(progress).not.toContainText('running');
  const doneAtStop = Number(/(\d) of 8/.exec((await progress.textContent()) ?? '')![1]);
  expect(doneAtStop).toBeLessThan(8);

  await page.getByRole('button', { name: 'Resume experiment' }).click();
  await expect(progress).toContainText('Experiment ttt: 8 of 8 runs done', { timeout: 240_000 });
  const table = page.getByRole('table', { name: 'Cells of ttt' });
  await expect(table.locator('tbody tr')).toHaveCount(4);
  for (let row = 0; row < 4; row++) await expect(table.locator('tbody tr').nth(row).locator('td').nth(2)).toHaveText('2/2');
  await expect(table.locator('tbody tr').first()).toContainText('learningRate 0.002, replayWindow 4');
  const grouped = page.getByRole('img', { name: "ttt: rating (Elo, each run's scale), by cell" });
  await expect(grouped).toBeVisible();
  await expect(grouped.locator('.recharts-legend-item-text')).toHaveCount(4);
  await expect(grouped.locator('.recharts-area-area')).toHaveCount(4);
  // Settings against strength: one line per run across the grid's two settings and the rating.
  await expect(page.getByRole('img', { name: "ttt: settings against the best model's rating" }).locator('polyline')).toHaveCount(8);
  // The table and the curves download as CSV.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Curves as CSV' }).click();
  const curves = await (await download).path().then((path) => readFile(path, 'utf8'));
  expect(curves.split('\n')[0]).toBe('measure,cell,settings,x,runs,mean,low,high');
  expect(curves).toContain('rating,4,"learningRate 0.001, replayWindow 2",3,2,');
  await expect(page.getByRole('link', { name: 'Table as CSV' })).toHaveAttribute('download', 'ttt-table.csv');
  // One scale: the 8 best models play each other and the references, and one fit rates them together.
  const scaleCard = page.getByRole('region', { name: 'One scale for ttt' });
  await scaleCard.getByRole('button', { name: "Put the runs' best models on one scale" }).click();
  const scaleStatus = scaleCard.getByRole('status', { name: 'Scale of ttt' });
  await expect(scaleStatus).toContainText(/^(\d+) of (\d+) matches played/);
  const matches = Number(/of (\d+) matches/.exec((await scaleStatus.textContent()) ?? '')![1]);
  await expect(scaleStatus).toContainText(`${matches} of ${matches} matches played;`, { timeout: 180_000 });
  await expect(scaleStatus).not.toContainText('playing');
  const onOne = scaleCard.getByRole('table', { name: 'ttt on one scale, by cell' });
  await expect(onOne.locator('tbody tr')).toHaveCount(4);
  await expect(onOne.locator('tbody tr').first().locator('td').nth(2)).toHaveText(/^-?\d+ \[-?\d+, -?\d+\]$/);
  await expect(scaleCard).toContainText('All 28 pairs of runs are connected by games between their models.');
  await page.screenshot({ path: 'e2e/artifacts/experiment-panel.png', fullPage: true });
});

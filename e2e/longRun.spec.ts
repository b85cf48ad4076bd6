/**
 * A run of thousands of iterations in the panel, served by the real server: the window receives the
 * bounded history (every stride-th, the last and the best models' iterations, with the
 * orchestrator's rating fit of them), says so, and brings other iterations in on demand.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { syntheticJournal } from '../test/fixtures/longRunJournal';
import { modelRows, serveForFile, type Served } from './serve';

let served: Served;
serveForFile((s) => (served = s));

test("a 3,000-iteration run's dashboard holds a bounded history and looks up the rest", async ({ page }) => {
  await mkdir(join(served.runsDir, 'long'), { recursive: true });
  await writeFile(join(served.runsDir, 'long', 'events.jsonl'), syntheticJournal(3_000));

  await page.goto(served.url);
  await page.getByRole('link', { name: 'long' }).click();
  await expect(page.getByRole('note', { name: 'History held' })).toHaveText(/^Showing \d{3} of 3,000 iterations: one in 8, the last 200, and the best models'\.$/);
  // Progress counts every iteration, not the ones held.
  await expect(page.getByText(/^3000 \/ 1000 iterations, 1000.0 of 60 min/)).toBeVisible();
  // The gate's record counts every candidate, and compares those the window holds.
  await expect(page.getByRole('note', { name: 'Gate record' })).toHaveText(/^500 promotions over 2999 candidates \(one every 6\.0\)\. (No candidate|\d+ of \d+ held candidates)/);
  // The table starts at the first kept iterations, rated by the orchestrator's fit.
  await expect(modelRows(page).first().locator('td').first()).toHaveText('1');
  await expect(modelRows(page).nth(1).locator('td').first()).toHaveText('8');
  await expect(modelRows(page).nth(1).locator('td').nth(6)).toHaveText(/^-?\d+ ± \d+$/);

  await page.getByRole('spinbutton', { name: 'From iteration' }).fill('2');
  await page.getByRole('spinbutton', { name: 'To iteration' }).fill('5');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('button', { name: 'Hide iterations 2 to 5: 4 found' })).toBeVisible();
  await expect(modelRows(page).nth(1).locator('td').first()).toHaveText('2');
  await expect(modelRows(page).nth(4).locator('td').first()).toHaveText('5');
  await expect(modelRows(page).nth(2).locator('td').nth(6)).toHaveText(/^-?\d+ ± \d+$/);
  await page.screenshot({ path: 'e2e/artifacts/long-run.png', fullPage: true });
});

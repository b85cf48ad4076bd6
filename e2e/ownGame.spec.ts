/**
 * A game Loopdeck has never seen, from an engine of its own: the test engine's "four-5x5" (four in a
 * row on 5 x 5, moves a1-e5 and "pass"). The panel knows it only from the engine's declaration and
 * its board answers.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { confirmDialog, modelRow, modelRows, occupiedCells, serveForFile, type Served } from './serve';

let served: Served;
serveForFile((s) => (served = s), { allowCommands: true });

const ENGINE = `${process.execPath} ${resolve(import.meta.dirname, '../test/fixtures/fake-engine.mjs')}`;

test("an engine's own game: declared, trained, viewed, played, promoted, reverted and branched", async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: 'New run' }).click();
  const advanced = page.getByText('Advanced', { exact: true });
  await advanced.click();
  for (const label of ['Actor command', 'Trainer command', 'Arena command']) await page.getByLabel(label, { exact: true }).fill(ENGINE);
  // The game list is the engine's.
  await page.getByLabel('Game', { exact: true }).selectOption('four-5x5');
  await expect(page.getByLabel('Game', { exact: true }).locator('option')).toHaveText(['Tic-tac-toe', 'Connect Four', 'Four on 5x5']);
  await page.getByLabel('Run name', { exact: true }).fill('own');
  await page.getByLabel('Iterations', { exact: true }).fill('3');
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByText('completed', { exact: true }).first()).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.run-header')).toContainText('Four on 5x5');
  const run = JSON.parse(await readFile(join(served.runsDir, 'own', 'run.json'), 'utf8'));
  expect(run.game_declaration).toMatchObject({ id: 'four-5x5', players: ['Black', 'White'], actions: 26 });

  // Rated against random and the engine's own reference; accuracy has nothing to be scored against, and says so.
  await expect(page.getByRole('img', { name: 'Rating', exact: true }).locator('.recharts-line')).toBeVisible();
  await expect(modelRow(page, 3).locator('td').nth(6)).toHaveText(/^-?\d+ ± \d+$/);
  await expect(page.getByText(/Not scored: the engine declares no perfect-play position set for Four on 5x5/)).toBeVisible();
  const ratings = JSON.parse(await readFile(join(served.runsDir, 'own', 'ratings.json'), 'utf8'));
  expect(ratings.players.map((p: { id: string }) => p.id)).toContain('greedy');

  // The game viewer draws the engine's boards: the first move is e5, top right.
  await modelRow(page, 3).getByRole('button', { name: 'Games' }).click();
  const viewer = page.getByRole('dialog', { name: 'Games of iteration 3' });
  await expect(viewer.getByRole('grid', { name: 'Board' }).getByRole('gridcell')).toHaveCount(25);
  expect(await occupiedCells(page)).toEqual([]);
  await viewer.getByRole('button', { name: 'Next move' }).click();
  await expect.poll(() => occupiedCells(page)).toEqual(['row 1, column 5: Black']);
  await expect(viewer.getByRole('list').getByRole('button').first()).toHaveText('Black e5');
  await page.keyboard.press('End');
  await expect.poll(async () => (await occupiedCells(page)).length).toBe(5);
  await viewer.getByRole('button', { name: 'Close' }).click();

  // Play: my move on c3, the model's answer (the test engine plays its first legal action, a5) drawn by the engine.
  await modelRow(page, 3).getByRole('button', { name: 'Play' }).click();
  const play = page.getByRole('dialog', { name: 'Play against iteration 3' });
  await play.getByRole('button', { name: 'Start game' }).click();
  await expect(play.getByRole('status')).toHaveText('Your move (Black).');
  await expect(play.getByRole('button', { name: 'pass' })).toBeVisible();
  await play.getByRole('gridcell', { name: 'row 3, column 3: empty' }).click();
  await expect.poll(() => occupiedCells(page), { timeout: 10_000 }).toEqual(['row 1, column 1: White', 'row 3, column 3: Black']);
  await expect(play.getByRole('status')).toHaveText(/^Your move \(Black\)\. The model's value/);
  await page.screenshot({ path: 'e2e/artifacts/own-game-play.png' });
  await play.getByRole('button', { name: 'Close' }).click();

  // Its reference player is offered for a match.
  await expect(page.getByRole('region', { name: 'Head-to-head' }).getByLabel('Player B').locator('option', { hasText: 'greedy' })).toHaveCount(1);

  // Promote by hand, revert, and branch.
  await modelRow(page, 1).getByRole('button', { name: 'Promote' }).click();
  await confirmDialog(page);
  await expect(modelRows(page).filter({ hasText: 'best' }).locator('td').first()).toHaveText('1');
  await page.getByRole('button', { name: 'Revert to previous best' }).click();
  await confirmDialog(page);
  await expect(modelRows(page).filter({ hasText: 'best' }).locator('td').first()).not.toHaveText('1');
  await page.screenshot({ path: 'e2e/artifacts/own-game.png', fullPage: true });
  await modelRow(page, 2).getByRole('button', { name: 'Branch from here' }).click();
  await page.getByRole('dialog', { name: 'Branch own from iteration 2' }).getByRole('button', { name: 'Branch' }).click();
  await expect(page.getByRole('heading', { name: 'own-b2' })).toBeVisible();
  await expect(page.locator('.run-header')).toContainText('Four on 5x5');
  await page.getByRole('button', { name: '← Runs' }).click();
  await expect(page.getByRole('row', { name: /own-b2/ })).toContainText('(branch of own at iteration 2)');
  const branch = JSON.parse(await readFile(join(served.runsDir, 'own-b2', 'run.json'), 'utf8'));
  expect(branch.game_declaration.id).toBe('four-5x5');
});

import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { modelRow, modelRows, serveForFile, type Served } from './serve';

let served: Served;
serveForFile((s) => (served = s));

const SIDES = ['X', 'O'];

/** The expected content of every tic-tac-toe cell after the first `ply` moves, computed here from the rules. */
function expectedCells(moves: number[], ply: number): string[] {
  const cells = new Array(9).fill('empty');
  for (let i = 0; i < ply; i++) cells[moves[i]! - 1] = SIDES[i % 2];
  return cells.map((content, i) => `row ${Math.floor(i / 3) + 1}, column ${(i % 3) + 1}: ${content}`);
}

test('ratings, accuracy, the game viewer, play against a model and a head-to-head match', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: 'New run' }).click();
  await page.getByLabel('Game', { exact: true }).selectOption('tictactoe');
  for (const [label, value] of [
    ['Run name', 's'],
    ['Iterations', '3'],
    ['Episodes per iteration', '40'],
    ['Training steps per iteration', '60'],
  ] as const)
    await page.getByLabel(label, { exact: true }).fill(value);
  const advanced = page.getByText('Advanced', { exact: true });
  if (await advanced.isVisible()) await advanced.click();
  await page.getByLabel('Evaluation games', { exact: true }).fill('10');
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByText('completed', { exact: true }).first()).toBeVisible({ timeout: 120_000 });

  // The rating and accuracy charts draw; the table has a rating and an accuracy per model.
  await expect(page.getByRole('img', { name: 'Rating', exact: true }).locator('.recharts-line')).toBeVisible();
  await expect(page.getByRole('img', { name: 'Accuracy vs perfect play', exact: true }).locator('.recharts-line').first()).toBeVisible();
  await expect(modelRow(page, 3).locator('td').nth(6)).toHaveText(/^-?\d+ ± \d+$/);
  await expect(modelRow(page, 3).locator('td').nth(7)).toHaveText(/^\d+\.\d%$/);

  // The game viewer: the first game of iteration 3, every move stepped through, the board checked cell by cell.
  await modelRow(page, 3).getByRole('button', { name: 'Games' }).click();
  const viewer = page.getByRole('dialog', { name: 'Games of iteration 3' });
  await expect(viewer).toBeVisible();
  const file = await viewer.getByLabel('Games file').inputValue();
  const first = JSON.parse(
    gunzipSync(await readFile(join(served.runsDir, 's', 'games', 'iter-0003', `${file}.gz`)))
      .toString('utf8')
      .split('\n')[0]!,
  );
  const board = viewer.getByRole('grid', { name: 'Board' });
  const cells = board.getByRole('gridcell');
  for (let ply = 0; ply <= first.moves.length; ply++) {
    await expect(viewer.getByText(`Move ${ply} of ${first.moves.length}`)).toBeVisible();
    const names = await cells.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(names).toEqual(expectedCells(first.moves, ply));
    if (ply < first.moves.length) {
      // Alternate the button and the arrow key: both step one move.
      if (ply % 2 === 0) await viewer.getByRole('button', { name: 'Next move' }).click();
      else await page.keyboard.press('ArrowRight');
    }
  }
  await expect(viewer.getByRole('button', { name: 'Next move' })).toBeDisabled();
  await expect(viewer.getByText('keeps value').first()).toBeVisible({ timeout: 10_000 });
  await viewer.getByRole('button', { name: 'Close' }).click();

  // Play a whole game against the best model, as O.
  const best = Number(await modelRows(page).filter({ hasText: 'best' }).locator('td').first().innerText());
  await modelRow(page, best).getByRole('button', { name: 'Play' }).click();
  const play = page.getByRole('dialog', { name: `Play against iteration ${best}` });
  await play.getByLabel('O (moves second)').check();
  await play.getByRole('button', { name: 'Start game' }).click();
  const status = play.getByRole('status');
  const stones = () => play.getByRole('gridcell').evaluateAll((els) => els.filter((e) => !e.getAttribute('aria-label')!.endsWith('empty')).length);
  const over = /You won|The model won|Draw/;
  for (let turn = 0; turn < 5; turn++) {
    await expect(status).toHaveText(/Your move|You won|The model won|Draw/, { timeout: 15_000 });
    if (over.test(await status.innerText())) break;
    const before = await stones();
    const started = Date.now();
    await play.locator('.board-cell.playable').first().click();
    // My stone and the model's answer (or the end of the game) on the board: not the status as it was before the click.
    await expect.poll(async () => ((await stones()) >= before + 2 && /Your move/.test(await status.innerText())) || over.test(await status.innerText()), { timeout: 15_000 }).toBe(true);
    // The model answers within a second at the run's evaluation simulations.
    expect(Date.now() - started).toBeLessThan(turn === 0 ? 5000 : 1500);
  }
  await expect(status).toHaveText(over);
  expect(await stones()).toBeGreaterThanOrEqual(5);
  await play.screenshot({ path: 'e2e/artifacts/play.png' });
  await play.getByRole('button', { name: 'Close' }).click();

  // Head-to-head: 20 games of iteration 3 against random; the ratings take them in.
  const ratingBefore = await modelRow(page, 3).locator('td').nth(6).innerText();
  const h2h = page.getByRole('region', { name: 'Head-to-head' });
  await h2h.getByLabel('Player A').selectOption('iter-0003');
  await h2h.getByLabel('Player B').selectOption('random');
  await h2h.getByLabel('until the test decides').uncheck();
  await h2h.getByLabel('Match games').fill('20');
  await h2h.getByRole('button', { name: 'Start match' }).click();
  const match = h2h.getByRole('table', { name: 'Matches' }).locator('tbody tr').first();
  await expect(match).toContainText('completed', { timeout: 60_000 });
  await expect(match).toContainText('20 / 20');
  await expect.poll(async () => modelRow(page, 3).locator('td').nth(6).innerText(), { timeout: 10_000 }).not.toBe(ratingBefore);
  const ratings = JSON.parse(await readFile(join(served.runsDir, 's', 'ratings.json'), 'utf8'));
  expect(ratings.players.find((p: { id: string }) => p.id === 'iter-0003').games).toBeGreaterThanOrEqual(20);
  await page.screenshot({ path: 'e2e/artifacts/strength.png', fullPage: true });
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { CONTENT_SECURITY_POLICY, metaContentSecurityPolicy } from '../src/shared/csp';
import { confirmDialog, modelRows, serveForFile, type Served } from './serve';

let served: Served;
serveForFile((s) => (served = s));

const bestOnDisk = async (run: string) => JSON.parse(await readFile(join(served.runsDir, run, 'best_model.json'), 'utf8'));

async function fillField(page: Page, label: string, value: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(value);
}

test('a wrong or missing token is refused; the right one leaves the address bar', async ({ page }) => {
  for (const address of [served.base, `${served.base}?token=${'0'.repeat(48)}`]) {
    await page.goto(address);
    await expect(page.getByRole('alert')).toContainText("refused this page's token");
    await expect(page.getByText('not authorized')).toBeVisible();
  }
  expect(served.stderr()).toMatch(/refused WebSocket \(bad or missing token\)/);
  const response = await page.goto(served.url);
  expect(response!.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(metaContentSecurityPolicy());
  await expect(page.getByText('connected', { exact: true })).toBeVisible();
  expect(page.url()).not.toContain('token');
  // A reload keeps working: the token stays in this tab's session storage.
  await page.reload();
  await expect(page.getByText('connected', { exact: true })).toBeVisible();
  expect((await page.context().cookies()).length).toBe(0);
});

test('start a run from the form, watch it live, reload, stop, promote, revert and resume', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: 'New run' }).click();
  await page.getByLabel('Game', { exact: true }).selectOption('tictactoe');
  await fillField(page, 'Run name', 'e2e');
  await fillField(page, 'Iterations', '10');
  await fillField(page, 'Episodes per iteration', '40');
  await fillField(page, 'Training steps per iteration', '60');
  const advanced = page.getByText('Advanced', { exact: true });
  if (await advanced.isVisible()) await advanced.click();
  await fillField(page, 'Evaluation games', '10');
  await page.getByRole('button', { name: 'Start run' }).click();

  // Live: win-rate points and model rows appear as iterations complete.
  await expect(page.getByRole('img', { name: 'Win rate', exact: true })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Loss', exact: true })).toBeVisible();
  // The bundled trainer reports its rate: drawn on the loss chart's own right-hand axis.
  await expect(page.getByRole('img', { name: 'Loss', exact: true }).locator('.recharts-legend-item-text', { hasText: 'learning rate (right)' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('img', { name: 'Throughput', exact: true })).toBeVisible();
  await expect.poll(async () => modelRows(page).count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  await expect.poll(async () => page.getByRole('img', { name: 'Win rate', exact: true }).locator('.recharts-line-dots circle').count(), { timeout: 30_000 }).toBeGreaterThan(0);

  // Reload mid-run: the same history. Ratings are left out: each evaluation's games refit every model's.
  const rowsWithoutRatings = async () => (await modelRows(page).allInnerTexts()).map((row) => row.replace(/-?\d+ ± \d+/, 'rating'));
  const before = await rowsWithoutRatings();
  await page.reload();
  await expect.poll(async () => (await modelRows(page).count()) >= before.length, { timeout: 30_000 }).toBe(true);
  const after = await rowsWithoutRatings();
  expect(after.slice(0, before.length)).toEqual(before);
  await page.screenshot({ path: 'e2e/artifacts/dashboard-running.png', fullPage: true });

  // Stop: graceful, resumable.
  await page.getByRole('button', { name: 'Stop run' }).click();
  await expect(page.getByRole('button', { name: 'Resume run' })).toBeVisible({ timeout: 30_000 });
  const doneAtStop = await modelRows(page).count();
  expect(doneAtStop).toBeLessThan(10);
  // The iteration axes span the iterations done, not the target of 10.
  const ticks = await page.getByRole('img', { name: 'Win rate', exact: true }).locator('.recharts-xAxis .recharts-cartesian-axis-tick-value').allInnerTexts();
  expect(Math.max(...ticks.map(Number))).toBeLessThanOrEqual(Math.max(2, doneAtStop));

  // Promote an earlier iteration (the first that is not the best) by hand, then revert.
  const candidate = modelRows(page)
    .filter({ has: page.getByRole('button', { name: 'Promote', disabled: false }) })
    .first();
  const promoted = Number(await candidate.locator('td').first().innerText());
  await candidate.getByRole('button', { name: 'Promote' }).click();
  await confirmDialog(page);
  await expect.poll(async () => (await bestOnDisk('e2e')).reason, { timeout: 10_000 }).toBe('manual');
  expect((await bestOnDisk('e2e')).iteration).toBe(promoted);
  await expect(modelRows(page).filter({ hasText: 'best' }).locator('td').first()).toHaveText(String(promoted));
  await expect(page.getByText(/manual/).first()).toBeVisible();
  await page.getByRole('button', { name: 'Revert to previous best' }).click();
  await confirmDialog(page);
  await expect.poll(async () => (await bestOnDisk('e2e')).reason, { timeout: 10_000 }).toBe('revert');

  // Resume: it finishes every iteration, each once.
  await page.getByRole('button', { name: 'Resume run' }).click();
  await expect(modelRows(page)).toHaveCount(10, { timeout: 120_000 });
  const loop = JSON.parse(await readFile(join(served.runsDir, 'e2e', 'loop_stats.json'), 'utf8'));
  expect(loop.iterations.map((s: { iteration: number }) => s.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  await page.screenshot({ path: 'e2e/artifacts/dashboard.png', fullPage: true });
});

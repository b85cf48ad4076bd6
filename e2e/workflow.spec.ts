import { expect, test } from '@playwright/test';
import { modelRows, serveForFile, type Served } from './serve';

let served: Served;
serveForFile((s) => (served = s));

test('change settings of a completed run and continue it; the change is marked on the charts; branch from a models-table row', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: 'New run' }).click();
  for (const [label, value] of [
    ['Run name', 'w'],
    ['Iterations', '2'],
    ['Episodes per iteration', '40'],
    ['Training steps per iteration', '40'],
  ] as const)
    await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByText('completed', { exact: true }).first()).toBeVisible({ timeout: 120_000 });
  await expect(modelRows(page)).toHaveCount(2);
  // Its target is reached: nothing to resume until a limit is raised.
  await expect(page.getByText('2 / 2 iterations (iteration target reached)')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Resume run' })).toHaveCount(0);

  // Change settings: the form comes prefilled; fixed settings cannot change; changed fields are marked.
  await page.getByRole('button', { name: 'Change settings' }).click();
  await expect(page.getByRole('heading', { name: 'Change settings of w' })).toBeVisible();
  await expect(page.getByLabel('Run name', { exact: true })).toHaveAttribute('readonly', '');
  await expect(page.getByLabel('Game', { exact: true })).toHaveAttribute('readonly', '');
  await expect(page.getByText(/Fixed: the models learn one game/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Apply changes' })).toBeDisabled();
  await page.getByLabel('Iterations', { exact: true }).fill('3');
  await page.getByLabel('Learning rate', { exact: true }).fill('0.001');
  await expect(page.locator('.field.changed')).toHaveCount(2);
  await page.getByRole('button', { name: 'Apply changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings changed' })).toContainText('iterations 2 → 3, learningRate 0.002 → 0.001; from iteration 3');
  const changes = page.getByRole('region', { name: 'Changes' });
  await expect(changes).toContainText('from iteration 3: iterations 2 → 3, learningRate 0.002 → 0.001');

  // Continue it: the third iteration runs with the new settings, and every chart marks the change.
  await page.getByRole('button', { name: 'Resume run' }).click();
  await expect(modelRows(page)).toHaveCount(3, { timeout: 120_000 });
  await expect(page.getByText('completed', { exact: true }).first()).toBeVisible({ timeout: 60_000 });
  for (const chart of ['Rating', 'Win rate', 'Loss']) await expect(page.getByRole('img', { name: chart, exact: true }).locator('.change-marker')).toHaveCount(1);
  await expect(page.getByRole('img', { name: 'Rating', exact: true })).toContainText('iterations 2 → 3');

  // Branch from iteration 2: a new run, started at once, listed as a branch.
  await modelRows(page).nth(1).getByRole('button', { name: 'Branch from here' }).click();
  const dialog = page.getByRole('dialog', { name: 'Branch w from iteration 2' });
  await expect(dialog.getByLabel('Branch name')).toHaveValue('w-b2');
  await dialog.getByRole('button', { name: 'Branch' }).click();
  await expect(page.getByRole('heading', { name: 'w-b2' })).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/branch.png', fullPage: true });
  await page.getByRole('button', { name: '← Runs' }).click();
  await expect(page.getByRole('row', { name: /w-b2/ })).toContainText('(branch of w at iteration 2)');
});

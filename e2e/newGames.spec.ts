/**
 * Games beyond tic-tac-toe and Connect Four through the panel: the bundled engine's Othello 6x6, a game
 * written with the Python kit (python/examples/connect3.py), and alpha-zero-general-style code through
 * the adapter (test/fixtures/azg, Reversi 4x4). Each is declared by its engine, trained three
 * iterations, rated, viewed, played, promoted, reverted and branched.
 */
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { confirmDialog, modelRow, modelRows, occupiedCells, serveForFile, type Served } from './serve';

let served: Served;
serveForFile((s) => (served = s), { allowCommands: true });

const PYTHON = process.env.LOOPDECK_TEST_PYTHON ?? '/usr/bin/python3';
const root = (path: string) => resolve(import.meta.dirname, '..', path);

interface EngineCase {
  title: string;
  /** The engine's command line; null for the bundled engine. */
  command: string | null;
  game: string;
  label: string;
  cells: number;
  /** A cell whose click is a legal first move. */
  firstMove: string;
  screenshot: string;
}

const CASES: EngineCase[] = [
  {
    title: "the bundled engine's Othello 6x6",
    command: null,
    game: 'othello6',
    label: 'Othello 6x6',
    cells: 36,
    firstMove: 'row 2, column 3: empty',
    screenshot: 'othello',
  },
  {
    title: 'a game written with the Python kit',
    command: `${PYTHON} ${root('python/examples/connect3.py')}`,
    game: 'connect3-5x4',
    label: 'Connect Three 5x4',
    cells: 20,
    firstMove: 'row 4, column 3: empty',
    screenshot: 'kit-game',
  },
  {
    title: 'alpha-zero-general-style code through the adapter',
    command: `${PYTHON} ${root('python/loopdeck_azg')} --root ${root('test/fixtures/azg')} --game reversi.ReversiGame:ReversiGame --game-args 4 --net reversi.NumpyNet:NNetWrapper --mcts MCTS:MCTS`,
    game: 'reversi',
    label: 'Reversi 4',
    cells: 16,
    firstMove: 'row 1, column 2: empty',
    screenshot: 'azg-game',
  },
];

for (const c of CASES) {
  test(`${c.title}: declared, trained, rated, viewed, played, promoted, reverted and branched`, async ({ page }) => {
    test.setTimeout(120_000);
    const name = c.screenshot;
    await page.goto(served.url);
    await page.getByRole('button', { name: 'New run' }).click();
    await page.getByText('Advanced', { exact: true }).click();
    if (c.command) for (const label of ['Actor command', 'Trainer command', 'Arena command']) await page.getByLabel(label, { exact: true }).fill(c.command);
    await expect(page.getByLabel('Game', { exact: true }).locator('option', { hasText: c.label })).toHaveCount(1, { timeout: 15_000 });
    await page.getByLabel('Game', { exact: true }).selectOption(c.game);
    for (const [label, value] of [
      ['Run name', name],
      ['Iterations', '3'],
      ['Episodes per iteration', '16'],
      ['Training steps per iteration', '40'],
      ['Evaluation games', '8'],
      ['Ladder games', '8'],
    ] as const)
      await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect(page.getByText('completed', { exact: true }).first()).toBeVisible({ timeout: 100_000 });
    await expect(page.locator('.run-header')).toContainText(c.label);
    await expect(modelRow(page, 3).locator('td').nth(6)).toHaveText(/^-?\d+ ± \d+$/);
    await expect(page.getByText(new RegExp(`Not scored: the engine declares no perfect-play position set for ${c.label}`))).toBeVisible();

    // A recorded game stepped on the engine's boards.
    await modelRow(page, 3).getByRole('button', { name: 'Games' }).click();
    const viewer = page.getByRole('dialog', { name: 'Games of iteration 3' });
    await expect(viewer.getByRole('grid', { name: 'Board' }).getByRole('gridcell')).toHaveCount(c.cells);
    const before = await occupiedCells(page);
    await viewer.getByRole('button', { name: 'Next move' }).click();
    await expect.poll(() => occupiedCells(page)).not.toEqual(before);
    await page.keyboard.press('End');
    await expect.poll(async () => (await occupiedCells(page)).length).toBeGreaterThan(before.length + 2);
    await viewer.getByRole('button', { name: 'Close' }).click();

    // Play: a move of mine, and the model's answer drawn by the engine.
    await modelRow(page, 3).getByRole('button', { name: 'Play' }).click();
    const play = page.getByRole('dialog', { name: 'Play against iteration 3' });
    await play.getByRole('button', { name: 'Start game' }).click();
    await expect(play.getByRole('status')).toHaveText(/^Your move/);
    const start = (await occupiedCells(page)).length;
    await play.getByRole('gridcell', { name: c.firstMove }).click();
    await expect(play.getByRole('status')).toHaveText(/^Your move .*The model's value/, { timeout: 15_000 });
    expect((await occupiedCells(page)).length).toBeGreaterThanOrEqual(start + 2);
    await page.screenshot({ path: `e2e/artifacts/${name}-play.png` });
    await play.getByRole('button', { name: 'Close' }).click();

    const best = () => modelRows(page).filter({ hasText: 'best' }).locator('td').first();
    const gated = (await best().textContent())!;
    const other = gated === '1' ? 2 : 1;
    await modelRow(page, other).getByRole('button', { name: 'Promote' }).click();
    await confirmDialog(page);
    await expect(best()).toHaveText(String(other));
    await page.getByRole('button', { name: 'Revert to previous best' }).click();
    await confirmDialog(page);
    await expect(best()).toHaveText(gated);
    await page.screenshot({ path: `e2e/artifacts/${name}.png`, fullPage: true });
    await modelRow(page, 2).getByRole('button', { name: 'Branch from here' }).click();
    await page
      .getByRole('dialog', { name: `Branch ${name} from iteration 2` })
      .getByRole('button', { name: 'Branch' })
      .click();
    await expect(page.getByRole('heading', { name: `${name}-b2` })).toBeVisible();
    await expect(page.locator('.run-header')).toContainText(c.label);
  });
}

test('a PyTorch trainer beside the bundled actor and arena, set from the panel: trained, and named in the run record', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(served.url);
  await page.getByRole('button', { name: 'New run' }).click();
  await page.getByText('Advanced', { exact: true }).click();
  await page.getByLabel('Trainer command', { exact: true }).fill(`${PYTHON} ${root('python/examples/torch_trainer.py')}`);
  await page.getByLabel('Game', { exact: true }).selectOption('tictactoe');
  for (const [label, value] of [
    ['Run name', 'torch-trainer'],
    ['Iterations', '2'],
    ['Episodes per iteration', '16'],
    ['Training steps per iteration', '40'],
    ['Evaluation games', '8'],
    ['Ladder games', '0'],
  ] as const)
    await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByText('completed', { exact: true }).first()).toBeVisible({ timeout: 100_000 });
  await expect(modelRow(page, 2)).toBeVisible();
  const record = page.getByRole('region', { name: 'Run record' });
  await expect(record.getByText(/^Engines: /)).toHaveText(/^Engines: loopdeck-engine \d+\.\d+\.\d+ \(.*node v\d+.*\); torch_trainer \S+ \(python 3[.\d]+, loopdeck_kit \S+, numpy \S+, torch \S+\)$/);
  await record.getByText(/^Engines: /).click();
  await expect(record.getByRole('listitem').filter({ hasText: /^trainer:/ })).toContainText('torch_trainer.py');
  await record.scrollIntoViewIfNeeded();
  await record.screenshot({ path: 'e2e/artifacts/run-record-torch-trainer.png' });
});

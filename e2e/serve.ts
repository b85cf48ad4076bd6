/** Starts the real `loopdeck serve` on a free port with a temporary runs folder. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test, type Page } from '@playwright/test';

export interface Served {
  url: string;
  base: string;
  token: string;
  runsDir: string;
  process: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

/** `allowCommands`: the panel may set engine commands (`loopdeck serve --allow-commands`). */
export async function serve(options: { allowCommands?: boolean } = {}): Promise<Served> {
  const runsDir = await mkdtemp(join(tmpdir(), 'loopdeck-e2e-'));
  const child = spawn(process.execPath, [resolve(import.meta.dirname, '../bin/loopdeck.js'), 'serve', '--port', '0', '--runs-dir', runsDir, ...(options.allowCommands ? ['--allow-commands'] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const first = await new Promise<string>((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolvePromise);
    child.once('exit', (code) => reject(new Error(`loopdeck serve exited with ${code}: ${stderr}`)));
  });
  const match = /^Loopdeck is serving at (http:\/\/[^/]+\/)\?token=([0-9a-f]+)$/.exec(first);
  if (!match) throw new Error(`unexpected first line of loopdeck serve: ${first}`);
  return {
    url: `${match[1]}?token=${match[2]}`,
    base: match[1]!,
    token: match[2]!,
    runsDir,
    process: child,
    stderr: () => stderr,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await rm(runsDir, { recursive: true, force: true });
    },
  };
}

/** One server for all the tests of a spec file, handed to `onServed`, stopped after them. */
export function serveForFile(onServed: (served: Served) => void, options: { allowCommands?: boolean } = {}): void {
  let served: Served | undefined;
  test.beforeAll(async () => {
    served = await serve(options);
    onServed(served);
  });
  test.afterAll(async () => {
    await served?.stop();
  });
}

/** The rows of the dashboard's models table. */
export const modelRows = (page: Page) => page.getByRole('table', { name: 'Models' }).locator('tbody tr');

/** The models table's row of one iteration. */
export const modelRow = (page: Page, iteration: number) => modelRows(page).filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${iteration}$`) }) });

/** The labels of the open board's occupied cells ("row 1, column 5: Black"). */
export const occupiedCells = (page: Page) =>
  page
    .getByRole('grid', { name: 'Board' })
    .getByRole('gridcell')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')).filter((l) => !l!.endsWith('empty')));

/** Confirms the open dialog (its first button that is not Cancel) and waits for it to close. */
export async function confirmDialog(page: Page) {
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog
    .getByRole('button')
    .filter({ hasNotText: /cancel/i })
    .first()
    .click();
  await expect(dialog).toBeHidden();
}

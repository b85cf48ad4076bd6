import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunRequestInbox, type RunRequest } from '../../../src/main/orchestrator/runRequests';
import type { BestModelInfo } from '../../../src/shared/stats';

const waitFor = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('RunRequestInbox', () => {
  it('goes on answering after an answer cannot be written, and reports it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loopdeck-requests-'));
    const handled: RunRequest[] = [];
    const errors: string[] = [];
    const best = (iteration: number): BestModelInfo => ({ iteration, reason: 'manual', by: 'test', time: '', note: null }) as unknown as BestModelInfo;
    const inbox = new RunRequestInbox(dir, async (r) => (handled.push(r), best(r.iteration!)), (m) => errors.push(m), 10);
    // A directory where the first answer should go makes writing that answer fail.
    await mkdir(join(dir, 'a.answer.json'));
    await writeFile(join(dir, 'a.request.json'), JSON.stringify({ action: 'promote', iteration: 3, by: 'x', time: '' }));
    inbox.start();
    await waitFor(async () => errors.length > 0);
    await writeFile(join(dir, 'b.request.json'), JSON.stringify({ action: 'promote', iteration: 5, by: 'y', time: '' }));
    await waitFor(async () => (await readdir(dir)).includes('b.answer.json'));
    await inbox.stop();

    expect(errors).toEqual([expect.stringMatching(/could not answer request a \(carried out\): .*a\.answer\.json/)]);
    expect(handled.map((r) => r.iteration)).toEqual([3, 5]); // the failed request was carried out once, not retried
    expect(JSON.parse(await readFile(join(dir, 'b.answer.json'), 'utf8'))).toMatchObject({ ok: true, best: { iteration: 5 } });
    expect((await readdir(dir)).filter((n) => n.endsWith('.request.json'))).toEqual([]);
  });
});

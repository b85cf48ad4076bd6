import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunRequestInbox, sendRunRequest, type RunRequest } from '../../../src/main/orchestrator/runRequests';
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
    const handle = async (r: RunRequest) => {
      handled.push(r);
      return best(r.action === 'promote' ? r.iteration : 0);
    };
    const inbox = new RunRequestInbox(dir, handle, (m) => errors.push(m), 10);
    // A directory where the first answer should go makes writing that answer fail.
    await mkdir(join(dir, 'a.answer.json'));
    await writeFile(join(dir, 'a.request.json'), JSON.stringify({ action: 'promote', iteration: 3, seen_best: 1, by: 'x', time: '' }));
    inbox.start();
    await waitFor(async () => errors.length > 0);
    await writeFile(join(dir, 'b.request.json'), JSON.stringify({ action: 'promote', iteration: 5, seen_best: 3, by: 'y', time: '' }));
    await waitFor(async () => (await readdir(dir)).includes('b.answer.json'));
    await inbox.stop();

    expect(errors).toEqual([expect.stringMatching(/could not answer request a \(carried out\): .*a\.answer\.json/)]);
    expect(handled.map((r) => (r.action === 'promote' ? r.iteration : null))).toEqual([3, 5]); // the failed request was carried out once, not retried
    expect(JSON.parse(await readFile(join(dir, 'b.answer.json'), 'utf8'))).toMatchObject({ ok: true, result: { iteration: 5 } });
    expect((await readdir(dir)).filter((n) => n.endsWith('.request.json'))).toEqual([]);
  });

  it('a request to a driver that never answers fails at its deadline and is withdrawn', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loopdeck-requests-'));
    // This process "drives" the run (its own pid in the lock) but never polls its inbox.
    const lock = join(dir, 'run.lock');
    await writeFile(lock, String(process.ppid));
    const started = Date.now();
    await expect(sendRunRequest(join(dir, 'requests'), lock, { action: 'revert', seen_best: 1, by: 't', time: '' }, 10, 300)).rejects.toThrow(/did not answer within 0 s .*withdrawn/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await readdir(join(dir, 'requests'))).toEqual([]);
  });

  it('refuses a malformed request with the field and carries nothing out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loopdeck-requests-'));
    const handled: RunRequest[] = [];
    const inbox = new RunRequestInbox(
      dir,
      async (r) => handled.push(r),
      () => {},
      10,
    );
    await writeFile(join(dir, 'a.request.json'), JSON.stringify({ action: 'promote', iteration: 'three', seen_best: 1, by: 'x', time: '' }));
    await writeFile(join(dir, 'b.request.json'), JSON.stringify({ action: 'delete', by: 'x', time: '' }));
    inbox.start();
    await waitFor(async () => (await readdir(dir)).filter((n) => n.endsWith('.answer.json')).length === 2);
    await inbox.stop();
    expect(handled).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, 'a.answer.json'), 'utf8'))).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'a request\'s "iteration" must be a number (got "three")' },
    });
    expect(JSON.parse(await readFile(join(dir, 'b.answer.json'), 'utf8')).error.message).toBe('a request\'s "action" must be one of promote, revert, stop, configure (got "delete")');
  });
});

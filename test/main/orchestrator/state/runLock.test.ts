import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../src/node/atomicWrite';
import { acquireRunLock, breakStaleLock, lockHolder, readLock, type LockHolder } from '../../../../src/main/orchestrator/state/runLock';
import { tempDir } from '../helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const TAKER = resolve(__dirname, '../../../fixtures/lock-taker.ts');

/** Lock takers that race for `lock` in `rounds` rounds; `round(r, before)` runs one and resolves to each taker's line. */
function racers(count: number, lock: string, rounds: number) {
  const outputs = Array.from({ length: count }, () => '');
  const children = outputs.map((_, i) => {
    const child = spawn(process.execPath, ['--import', 'tsx', TAKER, lock, dir, String(rounds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d) => (outputs[i] += d));
    return child;
  });
  const until = async (test: () => boolean) => {
    for (let waited = 0; !test(); waited += 10) {
      if (waited > 60_000) throw new Error(`racers did not answer: ${outputs.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return {
    ready: () => until(() => outputs.every((o) => o.startsWith('ready\n'))),
    async round(r: number): Promise<string[]> {
      await writeFile(join(dir, `start-${r}`), '');
      const line = (o: string) => o.split('\n').find((l) => l.startsWith(`${r} got`) || l.startsWith(`${r} refused`));
      await until(() => outputs.every((o) => line(o) !== undefined));
      const lines = outputs.map((o) => line(o)!.slice(String(r).length + 1));
      await writeFile(join(dir, `end-${r}`), '');
      await until(() => outputs.every((o) => o.includes(`${r} done`)));
      return lines;
    },
    done: () => Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on('close', r))))),
  };
}

const otherHostLock = (renewedSecondsAgo: number): LockHolder => ({
  host: 'node-17.cluster',
  pid: 4242,
  token: 'aaaabbbbccccdddd',
  acquired_at: new Date(Date.now() - 3600_000).toISOString(),
  renewed_at: new Date(Date.now() - renewedSecondsAgo * 1000).toISOString(),
  lease_seconds: 60,
});

describe('the run lock', () => {
  it('twelve processes taking a free lock at once, round after round: exactly one wins each round', async () => {
    const lock = join(dir, 'run.lock');
    const rounds = 8;
    const race = racers(12, lock, rounds);
    await race.ready();
    for (let r = 1; r <= rounds; r++) {
      const lines = await race.round(r);
      expect(
        lines.filter((l) => l === 'got'),
        `round ${r}: ${lines.join(' | ')}`,
      ).toHaveLength(1);
      expect(lines.filter((l) => /^refused: the run is already active in process \d+ on this machine/.test(l))).toHaveLength(11);
    }
    await race.done();
    expect(await readdir(dir)).not.toContain('run.lock');
  }, 120_000);

  it('twelve processes finding the same stale lock, round after round: exactly one takes it over', async () => {
    const lock = join(dir, 'run.lock');
    const rounds = 6;
    const race = racers(12, lock, rounds);
    await race.ready();
    for (let r = 1; r <= rounds; r++) {
      // Before each round, a lock whose holder is dead: a pid that cannot be alive, in this version's format and the earlier one.
      await writeFile(lock, r % 2 ? JSON.stringify({ ...otherHostLock(0), host: hostname(), pid: 999_999_999, token: `dead${r}` }) : '999999999');
      const lines = await race.round(r);
      expect(
        lines.filter((l) => l === 'got'),
        `round ${r}: ${lines.join(' | ')}`,
      ).toHaveLength(1);
    }
    await race.done();
    expect((await readdir(dir)).filter((f) => f.startsWith('run.lock'))).toEqual([]);
  }, 120_000);

  it("refuses another host's lock while its lease runs, naming the host, and takes it over once the lease has expired", async () => {
    const lock = join(dir, 'run.lock');
    await writeFile(lock, JSON.stringify(otherHostLock(10)));
    await expect(acquireRunLock(lock)).rejects.toThrow(/already active in process 4242 on host node-17\.cluster \(lock .*, lease renewed 10 s ago\)/);
    expect(await lockHolder(lock)).toMatchObject({ host: 'node-17.cluster', pid: 4242 });
    await writeFile(lock, JSON.stringify(otherHostLock(61)));
    expect(await lockHolder(lock)).toBeNull();
    const taken = await acquireRunLock(lock);
    expect(await readLock(lock)).toMatchObject({ host: hostname(), pid: process.pid, token: taken.holder.token });
    await taken.release();
  });

  it('renews its lease, and a holder whose lock was taken over is told at its next renewal', async () => {
    const lock = join(dir, 'run.lock');
    const lost: (LockHolder | null)[] = [];
    const held = await acquireRunLock(lock, { leaseSeconds: 60, renewMs: 30, onLost: (h) => lost.push(h) });
    const first = (await readLock(lock))!.renewed_at;
    await new Promise((r) => setTimeout(r, 120));
    expect(Date.parse((await readLock(lock))!.renewed_at)).toBeGreaterThan(Date.parse(first));
    // Another host takes it over (as after this process stalled past its lease), and renews it.
    const theirs = () => writeFileAtomic(lock, JSON.stringify(otherHostLock(0)));
    await theirs();
    const renewing = setInterval(() => void theirs(), 10);
    for (let waited = 0; lost.length === 0 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    clearInterval(renewing);
    expect(lost).toEqual([expect.objectContaining({ host: 'node-17.cluster' })]);
    await held.release();
    // Releasing a lost lock leaves the new holder's file alone.
    expect(await readLock(lock)).toMatchObject({ host: 'node-17.cluster' });
  });

  it('refuses a second holder in the same process, and frees the lock on release', async () => {
    const lock = join(dir, 'run.lock');
    const held = await acquireRunLock(lock);
    expect(await lockHolder(lock)).toMatchObject({ pid: process.pid, host: hostname() });
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ host: hostname(), pid: process.pid, lease_seconds: 60 });
    await expect(acquireRunLock(lock)).rejects.toThrow(/already open in this process/);
    await held.release();
    expect(await lockHolder(lock)).toBeNull();
    await (await acquireRunLock(lock)).release();
  });

  it('breaks a lock whose holder is dead, saying whose it was, and refuses one that may be alive', async () => {
    const lock = join(dir, 'run.lock');
    await writeFile(lock, JSON.stringify(otherHostLock(5)));
    await expect(breakStaleLock(lock)).rejects.toThrow(/process 4242 on host node-17\.cluster/);
    await writeFile(lock, JSON.stringify(otherHostLock(3600)));
    expect(await breakStaleLock(lock)).toMatchObject({ host: 'node-17.cluster', pid: 4242 });
    expect(await readdir(dir)).toEqual([]);
    expect(await breakStaleLock(lock)).toBeNull();
  });
});

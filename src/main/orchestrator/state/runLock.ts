/**
 * One driver per run. The lock file holds the owner's pid, created with O_EXCL.
 * A lock whose owner is dead (crashed, SIGKILLed) is stale and taken over,
 * under a second O_EXCL file so that of two processes finding the same stale
 * lock only one replaces it (the other then sees the new owner and refuses).
 * Within one process a lock is held by one handle only: a second driver in
 * the same process (a double click on Resume) is refused like any other.
 */
import { open, readFile, stat, unlink } from 'node:fs/promises';

export class RunLockedError extends Error {
  constructor(
    readonly pid: number,
    path: string,
  ) {
    super(pid === process.pid ? `the run is already open in this process (lock ${path}); wait for it to finish` : `the run is already active in process ${pid} (lock ${path}); stop it there first`);
    this.name = 'RunLockedError';
  }
}

/** Lock files this process holds. */
const heldHere = new Set<string>();

/** A takeover lock older than this belongs to a process that died mid-takeover. */
const TAKEOVER_STALE_MS = 10_000;

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readPid(path: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The live process that holds the lock, or null. */
export async function lockHolder(path: string): Promise<number | null> {
  if (heldHere.has(path)) return process.pid;
  const pid = await readPid(path);
  return pid !== null && pid !== process.pid && isProcessAlive(pid) ? pid : null;
}

async function createExclusive(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.write(String(process.pid));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Replaces a stale lock, if it still is one, while holding the takeover file. */
async function takeOver(path: string, stalePid: number | null): Promise<boolean> {
  const takeover = `${path}.takeover`;
  if (!(await createExclusive(takeover))) {
    const age = await stat(takeover).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > TAKEOVER_STALE_MS) await unlink(takeover).catch(() => {});
    return false;
  }
  try {
    // Re-check under the takeover lock: another process may have replaced the stale lock already.
    if ((await readPid(path)) !== stalePid) return false;
    await unlink(path).catch(() => {});
    return await createExclusive(path);
  } finally {
    await unlink(takeover).catch(() => {});
  }
}

export async function acquireRunLock(path: string): Promise<() => Promise<void>> {
  if (heldHere.has(path)) throw new RunLockedError(process.pid, path);
  heldHere.add(path);
  const release = async () => {
    if (!heldHere.delete(path)) return;
    if ((await readPid(path)) === process.pid) await unlink(path).catch(() => {});
  };
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await createExclusive(path)) return release;
      const holder = await readPid(path);
      if (holder !== null && holder !== process.pid && isProcessAlive(holder)) throw new RunLockedError(holder, path);
      // Stale (dead owner, or this pid's own leftover from before a crash): take it over.
      if (await takeOver(path, holder)) return release;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
    }
    const holder = await readPid(path);
    throw holder !== null && isProcessAlive(holder) ? new RunLockedError(holder, path) : new Error(`could not take the run lock ${path}`);
  } catch (error) {
    heldHere.delete(path);
    throw error;
  }
}

/** Takes a run's lock and builds what holds it (released by its owner later); a failed build releases the lock at once. */
export async function holdingRunLock<T>(path: string, build: (release: () => Promise<void>) => Promise<T>): Promise<T> {
  const release = await acquireRunLock(path);
  try {
    return await build(release);
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * One driver per run, also on a filesystem that two machines share.
 *
 * The lock file holds its holder as JSON ({host, pid, token, renewed_at, lease_seconds}) and is
 * never readable half-written: it is written whole under a temp name, then hard-linked to its
 * name, which fails if a lock is there. The holder renews its lease every few seconds; a lock is
 * stale when its holder is known dead: on this host, a pid that is not alive; on another host
 * (whose pids mean nothing here), a lease not renewed in time. A stale lock is taken over under
 * an exclusive name derived from its token (`run.lock.<token>.stale`, made with link too), so
 * of several processes finding the same stale lock one replaces it; the others see the new
 * holder and refuse. A holder whose lock was taken over (it stalled past its lease) finds out
 * at its next renewal and is told through `onLost`. Within one process a lock is held by one
 * handle only: a second driver in the same process (a double click on Resume) is refused.
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

export interface LockHolder {
  host: string;
  pid: number;
  token: string;
  acquired_at: string;
  renewed_at: string;
  lease_seconds: number;
}

export interface RunLockOptions {
  /** Seconds a lease lasts without renewal before another host may take the lock (default 60). */
  leaseSeconds?: number;
  /** Milliseconds between renewals (default a sixth of the lease). */
  renewMs?: number;
  /** Called once if another process took the lock over: this one must stop driving the run. */
  onLost?(holder: LockHolder | null): void;
}

export interface RunLock {
  readonly holder: LockHolder;
  release(): Promise<void>;
}

export class RunLockedError extends Error {
  constructor(
    readonly holder: LockHolder,
    path: string,
  ) {
    super(
      holder.host === hostname() && holder.pid === process.pid
        ? `the run is already open in this process (lock ${path}); wait for it to finish`
        : `the run is already active in process ${holder.pid} on ${holder.host === hostname() ? 'this machine' : `host ${holder.host}`} (lock ${path}, lease renewed ${leaseAge(holder)} s ago); stop it there first`,
    );
    this.name = 'RunLockedError';
  }
}

const DEFAULT_LEASE_SECONDS = 60;

/** Lock files this process holds. */
const heldHere = new Map<string, LockHolder>();

const leaseAge = (holder: LockHolder) => Math.max(0, Math.round((Date.now() - Date.parse(holder.renewed_at)) / 1000));

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder a lock file names, or null when there is none; a lock of an earlier version (a bare pid) is read as this host's. */
export async function readLock(path: string): Promise<LockHolder | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  if (/^\s*\d+\s*$/.test(text)) return { host: hostname(), pid: Number(text), token: `pid-${text.trim()}`, acquired_at: '', renewed_at: new Date(0).toISOString(), lease_seconds: 0 };
  try {
    const value = JSON.parse(text) as LockHolder;
    if (typeof value.host === 'string' && Number.isInteger(value.pid) && typeof value.token === 'string' && typeof value.renewed_at === 'string') return value;
  } catch {}
  // Unreadable: never written by this code (a lock is whole before it is visible); treated as abandoned.
  return { host: '?', pid: 0, token: `unreadable-${text.length}`, acquired_at: '', renewed_at: new Date(0).toISOString(), lease_seconds: 0 };
}

/** Whether a lock's holder is known dead: a pid that is not alive on this host; elsewhere, a lease not renewed in time. */
export function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return Date.now() > Date.parse(holder.renewed_at) + holder.lease_seconds * 1000;
  // This process's pid: alive only as a lock this process holds (not a leftover of an earlier process with the same pid).
  if (holder.pid === process.pid) return ![...heldHere.values()].some((h) => h.token === holder.token);
  return !isProcessAlive(holder.pid);
}

/** The live holder of a run's lock (this process included), or null when nobody drives the run. */
export async function lockHolder(path: string): Promise<LockHolder | null> {
  const here = heldHere.get(path);
  if (here) return here;
  const holder = await readLock(path);
  return holder && !isStale(holder) ? holder : null;
}

/** Whether a holder is this process. */
export const isThisProcess = (holder: LockHolder) => holder.host === hostname() && holder.pid === process.pid;

/** Writes a lock file whole under a temp name and links it to `path`; false when a lock is there. */
async function linkNew(path: string, holder: LockHolder): Promise<boolean> {
  const temp = `${path}.${holder.token}.new`;
  await writeFile(temp, JSON.stringify(holder), { flush: true });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

/** The exclusive name under which a stale lock of one token is claimed. */
const claimName = (path: string, stale: LockHolder) => `${path}.${stale.token.replace(/[^A-Za-z0-9-]/g, '_')}.stale`;

/**
 * Replaces a stale lock: the exclusive right to replace the lock of token T is the name
 * `<path>.<T>.stale`, a link to the lock made only while the lock still is T's.
 */
async function takeOver(path: string, stale: LockHolder, holder: LockHolder): Promise<boolean> {
  const claim = claimName(path, stale);
  try {
    await link(path, claim);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Another process claimed this stale lock, or the lock is gone (released): try again from the start.
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    throw error;
  }
  try {
    // The lock may have changed between reading it and claiming it: the claim holds what was linked.
    if ((await readLock(claim))?.token !== stale.token) return false;
    const temp = `${path}.${holder.token}.new`;
    await writeFile(temp, JSON.stringify(holder), { flush: true });
    await rename(temp, path);
    return true;
  } finally {
    await unlink(claim).catch(() => {});
  }
}

export async function acquireRunLock(path: string, options: RunLockOptions = {}): Promise<RunLock> {
  if (heldHere.has(path)) throw new RunLockedError(heldHere.get(path)!, path);
  const now = new Date().toISOString();
  const lease = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  let holder: LockHolder = { host: hostname(), pid: process.pid, token: randomBytes(8).toString('hex'), acquired_at: now, renewed_at: now, lease_seconds: lease };
  heldHere.set(path, holder);
  try {
    let taken = false;
    for (let attempt = 0; attempt < 10 && !taken; attempt++) {
      if (await linkNew(path, holder)) taken = true;
      else {
        const current = await readLock(path);
        if (current && !isStale(current)) throw new RunLockedError(current, path);
        if (current && (await takeOver(path, current, holder))) taken = true;
        else await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 40));
      }
    }
    if (!taken) {
      const current = await readLock(path);
      throw current && !isStale(current) ? new RunLockedError(current, path) : new Error(`could not take the run lock ${path}; try again`);
    }
  } catch (error) {
    heldHere.delete(path);
    throw error;
  }

  let lost = false;
  const renew = async () => {
    const current = await readLock(path);
    if (current?.token !== holder.token) {
      if (!lost) {
        lost = true;
        clearInterval(timer);
        heldHere.delete(path);
        options.onLost?.(current);
      }
      return;
    }
    holder = { ...holder, renewed_at: new Date().toISOString() };
    heldHere.set(path, holder);
    const temp = `${path}.${holder.token}.renew`;
    await writeFile(temp, JSON.stringify(holder), { flush: true });
    await rename(temp, path);
  };
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      renewing = renewing.then(renew).catch(() => {});
    },
    options.renewMs ?? (lease * 1000) / 6,
  );
  timer.unref();

  return {
    get holder() {
      return holder;
    },
    release: async () => {
      clearInterval(timer);
      await renewing;
      if (heldHere.get(path)?.token !== holder.token) return;
      heldHere.delete(path);
      if ((await readLock(path))?.token === holder.token) await unlink(path).catch(() => {});
    },
  };
}

/**
 * Breaks a lock whose holder is known dead (`loopdeck repair`): the holder it named, or null when
 * there was no lock. A lock whose holder may be alive is refused with who holds it.
 */
export async function breakStaleLock(path: string): Promise<LockHolder | null> {
  const current = await readLock(path);
  if (!current) return null;
  if (!isStale(current)) throw new RunLockedError(current, path);
  const claim = claimName(path, current);
  try {
    await link(path, claim);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EEXIST') throw new Error(`another process is taking the stale lock ${path} over; look again in a moment`);
    throw error;
  }
  try {
    if ((await readLock(claim))?.token !== current.token) throw new Error(`the lock ${path} changed while it was being broken; look again`);
    await unlink(path);
    return current;
  } finally {
    await unlink(claim).catch(() => {});
  }
}

/** Takes a run's lock and builds what holds it (released by its owner later); a failed build releases the lock at once. */
export async function holdingRunLock<T>(path: string, build: (lock: RunLock) => Promise<T>, options: RunLockOptions = {}): Promise<T> {
  const lock = await acquireRunLock(path, options);
  try {
    return await build(lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

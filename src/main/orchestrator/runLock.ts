/**
 * One process at a time drives a run. The lock file holds the owner's pid; a
 * lock whose owner is dead (crashed, SIGKILLed) is stale and taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';

export class RunLockedError extends Error {
  constructor(readonly pid: number, path: string) {
    super(`the run is already active in process ${pid} (lock ${path}); stop it there first`);
    this.name = 'RunLockedError';
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function lockHolder(path: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

export async function acquireRunLock(path: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.write(String(process.pid));
      await handle.close();
      return async () => {
        await unlink(path).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await lockHolder(path);
      if (holder !== null && holder !== process.pid) throw new RunLockedError(holder, path);
      await unlink(path).catch(() => {});
    }
  }
  throw new Error(`could not take the run lock ${path}`);
}

/**
 * The one atomic writer of the project and the bundled engine: a temp file with a unique name in
 * the target's folder, written and fsync'd, renamed over the target, then the folder fsync'd so
 * that the rename itself survives a crash or a power cut. A reader sees the old file or the new
 * one, never half of one; a failed write (a full disk) removes its temp file and leaves the old
 * file as it was.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  // Unique per call, so two writers of one file (two processes, or two calls in one) never share a temp file.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      // FileHandle.writeFile loops over short writes and throws ENOSPC; a single write() would
      // return short on a full disk and leave a truncated file to be renamed over the old one.
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncFolder(dirname(path));
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Copies a file (a model: at most a few megabytes) to `destination` atomically. */
export async function copyFileAtomic(source: string, destination: string): Promise<void> {
  await writeFileAtomic(destination, await readFile(source));
}

/** fsync a folder, so a rename in it is on disk; file systems that cannot sync a folder are left to themselves. */
async function syncFolder(path: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | null = null;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Atomic writes: a temp file in the same folder, fsync, rename. A reader sees
 * the old file or the new one, never half of one, even if we are killed.
 */
import { copyFile, open, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFileAtomicLib(path, typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), { fsync: true });
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export async function copyFileAtomic(source: string, destination: string): Promise<void> {
  const temp = join(dirname(destination), `.${basename(destination)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await copyFile(source, temp);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, destination);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

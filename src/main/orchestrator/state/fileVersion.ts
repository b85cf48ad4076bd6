/**
 * Which version of a file a cache was made from: its size and modification time, "-" for a file
 * that is not there. A journal only grows, and a rewrite (a repair) changes its time, so a cache
 * keyed by it is read again exactly when the file changed.
 */
import { stat } from 'node:fs/promises';

export async function fileVersion(path: string): Promise<string> {
  const s = await stat(path).catch(() => null);
  return s ? `${s.size}:${s.mtimeMs}` : '-';
}

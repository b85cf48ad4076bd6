/** Reading a run's process logs: which exist, and chunks of one from a byte offset. */
import { existsSync, readdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError, type LogChunk } from '../../../shared/api';
import type { RunPaths } from './runPaths';

/** Process names with logs, per iteration: { "1": ["actor-1", "trainer"] }. */
export function listLogs(paths: RunPaths): Record<string, string[]> {
  const root = join(paths.root, 'logs');
  const logs: Record<string, string[]> = {};
  if (!existsSync(root)) return logs;
  for (const dir of readdirSync(root)) {
    const match = /^iter-(\d+)$/.exec(dir);
    if (!match) continue;
    logs[String(Number(match[1]))] = readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.log'))
      .map((f) => f.slice(0, -4))
      .sort();
  }
  return logs;
}

const MAX_CHUNK_BYTES = 256 * 1024;
const PROCESS_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/** Whole lines from `offset`, at most MAX_CHUNK_BYTES; next_offset is where the next call continues. */
export async function readLogChunk(paths: RunPaths, iteration: number, processName: string, offset: number): Promise<LogChunk> {
  if (!Number.isInteger(iteration) || iteration < 1) throw new ApiError({ code: 'bad_request', message: `iteration must be a whole number from 1 (got ${iteration})` });
  if (!PROCESS_NAME.test(processName))
    throw new ApiError({ code: 'bad_request', message: `process must be a process name such as actor-1, trainer or arena-vs-best (got ${JSON.stringify(processName)})` });
  if (!Number.isInteger(offset) || offset < 0) throw new ApiError({ code: 'bad_request', message: `offset must be a whole number of bytes from 0 (got ${offset})` });
  const path = paths.log(iteration, processName);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    throw new ApiError({ code: 'not_found', message: `no log for ${processName} in iteration ${iteration} of run "${paths.name}"` });
  }
  try {
    const { size } = await handle.stat();
    if (offset >= size) return { lines: [], next_offset: size, size };
    const buffer = Buffer.alloc(Math.min(MAX_CHUNK_BYTES, size - offset));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    const end = buffer.subarray(0, bytesRead).lastIndexOf(10);
    // A line longer than a whole chunk is returned cut rather than never.
    const used = end === -1 ? bytesRead : end + 1;
    const text = buffer.subarray(0, used).toString('utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return { lines, next_offset: offset + used, size };
  } finally {
    await handle.close();
  }
}

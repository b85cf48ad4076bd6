/**
 * A run's disk: what its iterations write, the free space left, and the check before each phase
 * that turns a disk about to fill into a clean stop (a pause: resume once there is room) rather
 * than a crash in the middle of a write.
 */
import { existsSync } from 'node:fs';
import { readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { PhaseName, PhaseBytes } from '../../../shared/stats';
import { formatBytes } from '../../../shared/format';
import type { RunPaths } from './runPaths';
import { checkpointsOf } from './trainerCheckpoints';

/** Room kept free beyond a phase's estimate: the journal, the projections and the logs (a Connect Four iteration journals about 20 kB). */
export const DISK_RESERVE_BYTES = 16 * 1000 * 1000;

/** The run has stopped, or must stop, because its disk is (about to be) full. */
export class DiskFullError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiskFullError';
  }
}

/** Whether an error (ours, or a process's log tail) says the disk is full. */
export function isDiskFull(error: unknown): boolean {
  if (error instanceof DiskFullError) return true;
  if ((error as NodeJS.ErrnoException | null)?.code === 'ENOSPC') return true;
  const text = error instanceof Error ? `${error.message}\n${(error as { logTail?: string[] }).logTail?.join('\n') ?? ''}` : String(error);
  return /ENOSPC|no space left on device/i.test(text);
}

/** The size of a file or folder in bytes (0 when it is gone). */
export async function sizeOf(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path).catch(() => [] as string[])) total += await sizeOf(join(path, entry));
  return total;
}

/** Bytes free to this process on the file system of `path`. */
export async function freeBytes(path: string): Promise<number> {
  const info = await statfs(existsSync(path) ? path : join(path, '..'));
  return info.bavail * info.bsize;
}

/** What an iteration's phases wrote: its replay (self-play), model and checkpoint (training), game records and logs (evaluation). */
export async function iterationBytes(paths: RunPaths, iteration: number): Promise<PhaseBytes> {
  const model = paths.model(iteration);
  return {
    selfplay: await sizeOf(paths.replayDir(iteration)),
    train: (await sizeOf(model)) + (await Promise.all((await checkpointsOf(model)).map(sizeOf))).reduce((a, b) => a + b, 0),
    eval: (await sizeOf(paths.gamesDir(iteration))) + (await sizeOf(paths.logsDir(iteration))),
  };
}

/**
 * Before a phase: the free space must hold what the phase wrote last time, with half again and the
 * reserve; else the run stops, naming the folder, the space needed and the setting to change.
 */
export async function ensureRoom(paths: RunPaths, phase: PhaseName, iteration: number, last: PhaseBytes | null): Promise<void> {
  // Before any iteration has completed, the self-play of the one before (an early start) tells the size of the next.
  const estimate = last?.[phase] ?? (phase === 'selfplay' ? await sizeOf(paths.replayDir(iteration - 1)) : 0);
  const need = Math.round(estimate * 1.5) + DISK_RESERVE_BYTES;
  const free = await freeBytes(paths.root);
  if (free >= need) return;
  const lever = phase === 'selfplay' ? 'lower keepReplayIterations (old replay is then deleted) or episodesPerIteration' : 'lower keepReplayIterations (old replay is then deleted)';
  throw new DiskFullError(
    `the disk of ${paths.root} has ${formatBytes(free)} free, and iteration ${iteration}'s ${phase === 'selfplay' ? 'self-play' : phase === 'train' ? 'training' : 'evaluation'} needs about ${formatBytes(need)}: free some space, move the run to a larger disk, or ${lever}, then resume`,
  );
}

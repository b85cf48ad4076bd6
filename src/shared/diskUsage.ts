/** A run's disk as the panel shows it: its size, its growth, the free space and how long that lasts. */
import type { RunState } from './runState';

export interface DiskUsage {
  /** The run folder's size, bytes. */
  run_bytes: number;
  /** Free bytes on the disk that holds it. */
  free_bytes: number;
  /** Net growth (written less deleted) per hour of iteration time over the recent iterations; null before an iteration was measured. */
  growth_bytes_per_hour: number | null;
  /** Hours of iteration time until the disk is full at that growth; null when it does not grow. */
  hours_left: number | null;
}

/** The panel warns when the disk will be full within this many hours. */
export const DISK_WARNING_HOURS = 24;

/** Net bytes per hour over the last `window` measured iterations: what they wrote, less what retention deleted after them. */
export function growthPerHour(state: Pick<RunState, 'iterations' | 'recent_deletions'>, window = 10): number | null {
  const recent = state.iterations.filter((s) => s.bytes_written).slice(-window);
  if (recent.length === 0) return null;
  const first = recent[0]!.iteration;
  const written = recent.reduce((sum, s) => sum + s.bytes_written!.selfplay + s.bytes_written!.train + s.bytes_written!.eval, 0);
  const deleted = state.recent_deletions.filter((d) => d.iteration >= first).reduce((sum, d) => sum + d.bytes, 0);
  const hours = recent.reduce((sum, s) => sum + s.total_time, 0) / 3600;
  return hours > 0 ? (written - deleted) / hours : null;
}

export function diskUsage(state: Pick<RunState, 'iterations' | 'recent_deletions'>, runBytes: number, freeBytes: number): DiskUsage {
  const growth = growthPerHour(state);
  return { run_bytes: runBytes, free_bytes: freeBytes, growth_bytes_per_hour: growth, hours_left: growth !== null && growth > 0 ? freeBytes / growth : null };
}

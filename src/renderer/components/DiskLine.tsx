/**
 * The run folder's size, its growth and the free space, polled while the dashboard is open; a
 * warning when the disk would fill within a day at the run's pace (the run then stops cleanly
 * before a phase that does not fit, and resumes once there is room).
 */
import { useEffect, useState } from 'react';
import { DISK_WARNING_HOURS, type DiskUsage } from '../../shared/diskUsage';
import { formatBytes } from '../../shared/format';
import { actions } from '../store';

const POLL_MS = 30_000;

export function DiskLine({ name }: { name: string }) {
  const [usage, setUsage] = useState<DiskUsage | null>(null);
  useEffect(() => {
    let live = true;
    const poll = () =>
      void actions.diskUsage(name).then(
        (u) => live && setUsage(u),
        () => {},
      );
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [name]);
  if (!usage) return null;
  const warn = usage.hours_left !== null && usage.hours_left < DISK_WARNING_HOURS;
  const growth = usage.growth_bytes_per_hour === null ? '' : `, ${usage.growth_bytes_per_hour >= 0 ? 'growing' : 'shrinking'} ${formatBytes(Math.abs(usage.growth_bytes_per_hour))}/h`;
  const left = usage.hours_left === null ? '' : ` (about ${usage.hours_left < 48 ? `${Math.round(usage.hours_left)} h` : `${Math.round(usage.hours_left / 24)} days`} at this pace)`;
  return (
    <section className={warn ? 'disk-line notice' : 'disk-line muted'} aria-label="Disk">
      Run folder {formatBytes(usage.run_bytes)}
      {growth}; {formatBytes(usage.free_bytes)} free{left}.
      {warn && <span role="alert"> The disk fills within a day: free space, or lower "Replay kept"; the run stops cleanly before a phase that does not fit.</span>}
    </section>
  );
}

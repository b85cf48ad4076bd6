/** Seconds as m:ss or h:mm:ss; `missing` when unknown. */
export function formatDuration(seconds: number | null | undefined, missing = '–'): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return missing;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Bytes for people: "512 B", "41.0 MB", "6.20 GB" (powers of 1,000, as disks are sold). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(Math.abs(value) < 10 ? 2 : 1)} ${units[unit]}`;
}

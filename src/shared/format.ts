/** Seconds as m:ss or h:mm:ss; `missing` when unknown. */
export function formatDuration(seconds: number | null | undefined, missing = '–'): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return missing;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

import { formatDuration } from '../shared/format';

export const pct = (x: number | null | undefined, digits = 0) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)}%`);
export const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));

export const duration = (seconds: number | null | undefined) => formatDuration(seconds);

export const rate = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(1));

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** "1234" or "1234 ± 56" for a rating and its 95% interval. */
export const elo = (value: number | null | undefined, low?: number, high?: number) =>
  value === null || value === undefined ? '–' : low === undefined || high === undefined ? `${Math.round(value)}` : `${Math.round(value)} ± ${Math.round((high - low) / 2)}`;

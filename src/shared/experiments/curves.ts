/**
 * An experiment's cells over time: at each point of the axis, the mean across a cell's seeds of a
 * measure with its 95% interval. Each run counts with its latest value at that point, so runs
 * compare at equal compute however their iterations fall. The panel draws them; the CLI exports them.
 */
import { meanInterval, withinBounds } from './intervals';
import type { Point } from './series';

/** Points along the axis, at most (one more: both ends). */
export const CURVE_STEPS = 60;

export interface CellSeries {
  cell: number;
  label: string;
  /** One series per run of the cell, each sorted by x. */
  runs: Point[][];
}

export interface CurvePoint {
  x: number;
  /** Runs with a value at x. */
  n: number;
  mean: number;
  /** The 95% interval (NaN with one run). */
  low: number;
  high: number;
}

export interface CellCurve {
  cell: number;
  label: string;
  points: CurvePoint[];
}

/** A run's latest value at or before x, or null before its first. */
function valueAt(points: readonly Point[], x: number): number | null {
  let value: number | null = null;
  for (const p of points) {
    if (p.x > x) break;
    value = p.y;
  }
  return value;
}

/** `bounds`: the range the measure cannot leave (a share's [0, 1]); intervals are cut to it. */
export function cellCurves(cells: readonly CellSeries[], bounds: [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]): CellCurve[] {
  const xs = cells.flatMap((c) => c.runs.flatMap((r) => r.map((p) => p.x)));
  if (!xs.length) return cells.map((c) => ({ cell: c.cell, label: c.label, points: [] }));
  // The runs' own points where there are few (iterations of short runs), else evenly spaced ones.
  const distinct = [...new Set(xs)].sort((a, b) => a - b);
  const [lo, hi] = [distinct[0]!, distinct[distinct.length - 1]!];
  const steps = distinct.length <= CURVE_STEPS + 1 ? distinct : Array.from({ length: CURVE_STEPS + 1 }, (_, k) => lo + ((hi - lo) * k) / CURVE_STEPS);
  return cells.map((c) => ({
    cell: c.cell,
    label: c.label,
    points: steps.flatMap((x) => {
      const values = c.runs.map((r) => valueAt(r, x)).filter((v): v is number => v !== null);
      if (!values.length) return [];
      const m = withinBounds(meanInterval(values), ...bounds);
      return [{ x, n: values.length, mean: m.mean, low: m.low, high: m.high }];
    }),
  }));
}

/** Curves as CSV: one line per cell and point. */
export function curvesCsv(curves: Record<string, readonly CellCurve[]>): string {
  const lines = ['measure,cell,settings,x,runs,mean,low,high'];
  for (const [measure, cells] of Object.entries(curves))
    for (const c of cells)
      for (const p of c.points)
        lines.push([measure, c.cell, `"${c.label.replaceAll('"', '""')}"`, p.x, p.n, p.mean, p.low, p.high].map((v) => (typeof v === 'number' && !Number.isFinite(v) ? '' : String(v))).join(','));
  return lines.join('\n');
}

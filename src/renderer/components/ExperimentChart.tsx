/**
 * An experiment's cells over time: for each cell, the mean across its seeds of a measure (rating on
 * each run's own scale, or accuracy) with its 95% interval as a band, by iteration or by wall-clock
 * minutes. Each run counts with its latest value at each point of the axis, so runs compare at
 * equal compute however their iterations fall.
 */
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { meanInterval, withinBounds } from '../../shared/experiments/intervals';
import { pct } from '../format';

const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#7c3aed', '#ea580c', '#0891b2', '#a16207', '#db2777'];
/** Points along the axis. */
const STEPS = 60;

export interface CellSeries {
  cell: number;
  label: string;
  /** One series per run of the cell, each sorted by x. */
  runs: { x: number; y: number }[][];
}

/** Each run's latest value at or before x, or null before its first. */
function valueAt(points: readonly { x: number; y: number }[], x: number): number | null {
  let value: number | null = null;
  for (const p of points) {
    if (p.x > x) break;
    value = p.y;
  }
  return value;
}

/** The chart's rows: at each step of the axis, each cell's mean and band over the runs that have a value there. */
export function groupedRows(cells: readonly CellSeries[], bounds: [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]): Record<string, number | [number, number] | null>[] {
  const xs = cells.flatMap((c) => c.runs.flatMap((r) => r.map((p) => p.x)));
  if (!xs.length) return [];
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  const steps = hi > lo ? Array.from({ length: STEPS + 1 }, (_, k) => lo + ((hi - lo) * k) / STEPS) : [lo];
  return steps.map((x) => {
    const row: Record<string, number | [number, number] | null> = { x };
    for (const c of cells) {
      const values = c.runs.map((r) => valueAt(r, x)).filter((v): v is number => v !== null);
      if (!values.length) continue;
      const m = withinBounds(meanInterval(values), ...bounds);
      row[`mean${c.cell}`] = m.mean;
      if (Number.isFinite(m.low)) row[`band${c.cell}`] = [m.low, m.high];
    }
    return row;
  });
}

export function ExperimentChart({ label, cells, axis, percent }: { label: string; cells: readonly CellSeries[]; axis: 'iteration' | 'minutes'; percent: boolean }) {
  // A share's band stays within 0 and 100%.
  const rows = groupedRows(cells, percent ? [0, 1] : undefined);
  return (
    <figure role="img" aria-label={`${label}, by cell`} className="chart">
      <figcaption>{label}: mean of each cell's seeds, 95% band</figcaption>
      <div style={{ width: '100%', height: 300 }}>
        <ResponsiveContainer width="100%" height="100%" minWidth={200}>
          <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis
              dataKey="x"
              type="number"
              domain={['dataMin', 'dataMax']}
              tick={{ fontSize: 11 }}
              tickFormatter={(v: number) => (axis === 'minutes' ? v.toFixed(0) : String(Math.round(v)))}
              label={{ value: axis === 'minutes' ? 'minutes' : 'iteration', position: 'insideBottomRight', offset: -2, fontSize: 11 }}
            />
            <YAxis domain={['auto', 'auto']} tickFormatter={(v: number) => (percent ? pct(v) : String(Math.round(v)))} tick={{ fontSize: 11 }} width={48} />
            <Tooltip
              formatter={(v) =>
                Array.isArray(v) ? v.map((x) => (percent ? pct(x as number, 1) : Math.round(x as number))).join(' to ') : percent ? pct(v as number, 1) : `${Math.round(v as number)} Elo`
              }
              labelFormatter={(l) => (axis === 'minutes' ? `${Number(l).toFixed(1)} min` : `iteration ${Math.round(Number(l))}`)}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {cells.map((c, i) => (
              <Area
                key={`band${c.cell}`}
                dataKey={`band${c.cell}`}
                name={`cell ${c.cell} 95%`}
                legendType="none"
                stroke="none"
                fill={PALETTE[i % PALETTE.length]}
                fillOpacity={0.15}
                isAnimationActive={false}
                connectNulls
              />
            ))}
            {cells.map((c, i) => (
              <Line
                key={`mean${c.cell}`}
                dataKey={`mean${c.cell}`}
                name={`cell ${c.cell}: ${c.label}`}
                stroke={PALETTE[i % PALETTE.length]}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

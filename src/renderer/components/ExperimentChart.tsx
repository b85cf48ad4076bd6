/**
 * An experiment's cells over time (shared/experiments/curves.ts): each cell's mean across its seeds
 * of rating (each run's own scale) or accuracy, with its 95% interval as a band.
 */
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip } from 'recharts';
import { type CellSeries, cellCurves } from '../../shared/experiments/curves';
import type { Axis } from '../../shared/experiments/series';
import { pct } from '../format';
import { compareXAxis, compareXLabel, compareYAxis, seriesColor } from './compareAxes';

/** The chart's rows: at each point of the axis, each cell's mean and band. */
export function groupedRows(cells: readonly CellSeries[], bounds?: [number, number]): Record<string, number | [number, number]>[] {
  const rows = new Map<number, Record<string, number | [number, number]>>();
  for (const curve of cellCurves(cells, bounds))
    for (const p of curve.points) {
      const row = rows.get(p.x) ?? { x: p.x };
      row[`mean${curve.cell}`] = p.mean;
      if (Number.isFinite(p.low)) row[`band${curve.cell}`] = [p.low, p.high];
      rows.set(p.x, row);
    }
  return [...rows.values()].sort((a, b) => (a.x as number) - (b.x as number));
}

export function ExperimentChart({ label, cells, axis, percent }: { label: string; cells: readonly CellSeries[]; axis: Axis; percent: boolean }) {
  // A share's band stays within 0 and 100%.
  const rows = groupedRows(cells, percent ? [0, 1] : undefined);
  return (
    <figure role="img" aria-label={`${label}, by cell`} className="chart">
      <figcaption>{label}: mean of each cell's seeds, 95% band</figcaption>
      <div style={{ width: '100%', height: 300 }}>
        <ResponsiveContainer width="100%" height="100%" minWidth={200}>
          <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            {compareXAxis(axis)}
            {compareYAxis(percent)}
            <Tooltip
              formatter={(v) =>
                Array.isArray(v) ? v.map((x) => (percent ? pct(x as number, 1) : Math.round(x as number))).join(' to ') : percent ? pct(v as number, 1) : `${Math.round(v as number)} Elo`
              }
              labelFormatter={compareXLabel(axis)}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {cells.map((c, i) => (
              <Area
                key={`band${c.cell}`}
                dataKey={`band${c.cell}`}
                name={`cell ${c.cell} 95%`}
                legendType="none"
                stroke="none"
                fill={seriesColor(i)}
                fillOpacity={0.15}
                isAnimationActive={false}
                connectNulls
              />
            ))}
            {cells.map((c, i) => (
              <Line key={`mean${c.cell}`} dataKey={`mean${c.cell}`} name={`cell ${c.cell}: ${c.label}`} stroke={seriesColor(i)} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

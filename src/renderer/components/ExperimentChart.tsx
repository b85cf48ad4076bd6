/**
 * An experiment's cells over time (shared/experiments/curves.ts): each cell's mean across its seeds
 * of rating (each run's own scale) or accuracy, with its 95% interval as a band.
 */
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type CellSeries, cellCurves } from '../../shared/experiments/curves';
import { pct } from '../format';

const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#7c3aed', '#ea580c', '#0891b2', '#a16207', '#db2777'];

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
            <YAxis
              domain={percent ? [(min: number) => Math.max(0, Math.floor(min * 10) / 10), 1] : ['auto', 'auto']}
              tickFormatter={(v: number) => (percent ? pct(v) : String(Math.round(v)))}
              tick={{ fontSize: 11 }}
              width={48}
            />
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

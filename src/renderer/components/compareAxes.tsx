/**
 * What Compare's charts share: a colour per run or cell, the x axis (iteration or wall-clock
 * minutes) and the y axis (Elo, or a share drawn from its floor up to 100%). Elements, not
 * components: recharts reads its axes as direct children of the chart.
 */
import { XAxis, YAxis } from 'recharts';
import type { Axis } from '../../shared/experiments/series';
import { pct } from '../format';

export const SERIES_COLORS = ['#2563eb', '#16a34a', '#dc2626', '#7c3aed', '#ea580c', '#0891b2', '#a16207', '#db2777'];

export const seriesColor = (i: number) => SERIES_COLORS[i % SERIES_COLORS.length]!;

export function compareXAxis(axis: Axis) {
  return (
    <XAxis
      dataKey="x"
      type="number"
      domain={['dataMin', 'dataMax']}
      allowDecimals={axis === 'minutes'}
      tick={{ fontSize: 11 }}
      tickFormatter={(v: number) => (axis === 'minutes' ? v.toFixed(0) : String(Math.round(v)))}
      label={{ value: axis === 'minutes' ? 'minutes' : 'iteration', position: 'insideBottomRight', offset: -2, fontSize: 11 }}
    />
  );
}

export function compareYAxis(percent: boolean) {
  return (
    <YAxis
      domain={percent ? [(min: number) => Math.max(0, Math.floor(min * 10) / 10), 1] : ['auto', 'auto']}
      tickFormatter={(v: number) => (percent ? pct(v) : String(Math.round(v)))}
      tick={{ fontSize: 11 }}
      width={48}
    />
  );
}

/** The tooltip's heading for a point of the x axis. */
export const compareXLabel = (axis: Axis) => (l: unknown) => (axis === 'minutes' ? `${Number(l).toFixed(1)} min` : `iteration ${Math.round(Number(l))}`);

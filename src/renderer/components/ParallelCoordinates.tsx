/**
 * An experiment's settings against its final strength, one line per run: an axis per setting of
 * the grid (numbers on a linear scale, other values evenly spaced) and a last axis for the best
 * model's rating, so which settings go with strong runs shows at a glance when a grid varies more
 * than two settings. Plain SVG: the chart library has no such chart.
 */
import { type RatedRun, runFinalOf } from '../../shared/experiments/report';
import type { RunExperiment } from '../../shared/stats';
import { seriesColor } from './compareAxes';

const [WIDTH, HEIGHT, TOP, BOTTOM, SIDE] = [720, 260, 28, 24, 60];

interface Axis {
  name: string;
  /** Where a value sits, 0 (bottom) to 1 (top); null for a run without it. */
  place(value: unknown): number | null;
  ticks: { at: number; text: string }[];
}

function axisOf(name: string, values: unknown[]): Axis {
  const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (numbers.length === values.length && numbers.length > 0) {
    const [lo, hi] = [Math.min(...numbers), Math.max(...numbers)];
    const place = (v: unknown) => (typeof v === 'number' ? (hi > lo ? (v - lo) / (hi - lo) : 0.5) : null);
    const distinct = [...new Set(numbers)].sort((a, b) => a - b);
    // A setting's few values each; a measure's range by its ends.
    const shown = distinct.length <= 5 ? distinct : [lo, hi];
    return { name, place, ticks: shown.map((v) => ({ at: place(v)!, text: Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3))) })) };
  }
  const distinct = [...new Set(values.map((v) => JSON.stringify(v)))].sort();
  const place = (v: unknown) => {
    const i = distinct.indexOf(JSON.stringify(v));
    return i < 0 ? null : distinct.length > 1 ? i / (distinct.length - 1) : 0.5;
  };
  return { name, place, ticks: distinct.map((v, i) => ({ at: distinct.length > 1 ? i / (distinct.length - 1) : 0.5, text: v.replaceAll('"', '') })) };
}

/** The grid's settings, read from a cell's label ("learningRate 0.002, replayWindow 4"). */
export function gridKeys(experiment: RunExperiment): string[] {
  return experiment.label === 'the base' ? [] : experiment.label.split(', ').map((part) => part.split(' ')[0]!);
}

export function ParallelCoordinates({ name, runs }: { name: string; runs: readonly { run: string; experiment: RunExperiment; rated: RatedRun }[] }) {
  const keys = runs.length ? gridKeys(runs[0]!.experiment) : [];
  const rows = runs.map((r) => ({
    run: r.run,
    cell: r.experiment.cell,
    values: [...keys.map((k) => (r.rated.state.config as Record<string, unknown> | null)?.[k]), runFinalOf(r.run, r.rated).elo],
  }));
  const axes = [...keys, 'best Elo'].map((key, i) =>
    axisOf(
      key,
      rows.map((row) => row.values[i]).filter((v) => v !== null && v !== undefined),
    ),
  );
  const x = (i: number) => SIDE + (i * (WIDTH - 2 * SIDE)) / Math.max(1, axes.length - 1);
  const y = (at: number) => TOP + (1 - at) * (HEIGHT - TOP - BOTTOM);
  return (
    <figure className="chart" role="img" aria-label={`${name}: settings against the best model's rating`}>
      <figcaption>{name}: each run's settings and its best model's rating (each run's scale)</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" style={{ maxWidth: WIDTH }} role="presentation">
        {rows.map((row) => {
          const points = row.values.map((v, i) => (v === null || v === undefined ? null : axes[i]!.place(v))).map((at, i) => (at === null ? null : `${x(i)},${y(at)}`));
          if (points.some((p) => p === null)) return null;
          return (
            <polyline key={row.run} data-run={row.run} points={points.join(' ')} fill="none" stroke={seriesColor(row.cell - 1)} strokeWidth={1.5} strokeOpacity={0.8}>
              <title>{`${row.run} (cell ${row.cell})`}</title>
            </polyline>
          );
        })}
        {axes.map((axis, i) => (
          <g key={axis.name}>
            <line x1={x(i)} x2={x(i)} y1={y(0)} y2={y(1)} stroke="#94a3b8" />
            <text x={x(i)} y={TOP - 12} textAnchor="middle" fontSize={12}>
              {axis.name}
            </text>
            {axis.ticks.map((t) => (
              <text key={t.text} x={x(i) + 4} y={y(t.at) + 4} fontSize={10} fill="#475569">
                {t.text}
              </text>
            ))}
          </g>
        ))}
      </svg>
    </figure>
  );
}

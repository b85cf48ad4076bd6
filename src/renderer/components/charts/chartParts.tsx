/** What every chart of the dashboard shares: colours, the frame, the iteration axis, promotion dots and settings-change markers. */
import { ReferenceLine, ResponsiveContainer } from 'recharts';
import { describeChanges, type ConfigChange } from '../../../shared/config/changes';
import type { RunState } from '../../../shared/runState';

export const COLORS = {
  best: '#2563eb',
  random: '#16a34a',
  gate: '#dc2626',
  loss: '#111827',
  policy: '#7c3aed',
  value: '#ea580c',
  samples: '#a16207',
  rating: '#7c3aed',
  band: '#c4b5fd',
  reference: '#64748b',
  revert: '#d97706',
  change: '#0f766e',
  rate: '#0891b2',
};

/** Vertical markers where the run's settings changed, labelled with what changed ("learningRate 0.002 → 0.001"). */
export function changeLines(changes: readonly ConfigChange[] | undefined, xOf: (iteration: number) => number | null = (i) => i) {
  return (changes ?? []).flatMap((c) => {
    const x = xOf(c.from_iteration);
    if (x === null) return [];
    const text = describeChanges(c.changes);
    return [
      <ReferenceLine
        key={`change-${c.time}-${c.from_iteration}`}
        x={x}
        stroke={COLORS.change}
        strokeDasharray="3 3"
        label={{ value: text.length > 48 ? `${text.slice(0, 47)}…` : text, position: 'insideTopRight', angle: -90, offset: 12, fontSize: 10, fill: COLORS.change }}
        className="change-marker"
      />,
    ];
  });
}

/** A click on a chart's iteration (opens that iteration's games). */
export type OnIteration = ((iteration: number) => void) | undefined;
export const clickIteration = (onIteration: OnIteration) => (state: { activeLabel?: string | number } | null) => {
  const label = Number(state?.activeLabel);
  if (onIteration && Number.isInteger(label)) onIteration(label);
};

/** A titled chart; with `empty`, the text that says why there is nothing to draw yet. */
export function ChartFrame({ label, height = 240, empty, children }: { label: string; height?: number; empty?: string | null; children: React.ReactElement | null }) {
  return (
    <figure role="img" aria-label={label} className="chart">
      <figcaption>{label}</figcaption>
      {empty ? (
        <p className="empty chart-empty" style={{ height }}>
          {empty}
        </p>
      ) : (
        <div style={{ width: '100%', height }}>
          <ResponsiveContainer width="100%" height="100%" minWidth={200}>
            {children!}
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}

/** Points drawn per chart, whatever the history's length. */
export const MAX_POINTS = 120;
export const DOTS_UP_TO = 60;

/** A bigger ringed dot on iterations that became the best model; plain dots only while there are few points. */
export function PromotionDot(props: { cx?: number; cy?: number; payload?: { promoted: boolean }; stroke?: string; plain?: boolean }) {
  const { cx, cy, payload, stroke, plain } = props;
  if (cx === undefined || cy === undefined || cy === null || Number.isNaN(cy)) return null;
  if (!payload?.promoted && !plain) return null;
  return payload?.promoted ? (
    <g className="promotion-dot">
      <circle cx={cx} cy={cy} r={6} fill="#fff" stroke={stroke} strokeWidth={2} />
      <circle cx={cx} cy={cy} r={2.5} fill={stroke} />
    </g>
  ) : (
    <circle cx={cx} cy={cy} r={2.5} fill={stroke} className="recharts-dot" />
  );
}

/**
 * Iteration axes span the iterations that have data, not the run's target: a run with a time budget
 * has a target (Connect Four: 1,000) it may never reach, and its curve would fill a sliver of the chart.
 */
export const ITERATION_DOMAIN: [number, (dataMax: number) => number] = [1, (dataMax) => Math.max(2, dataMax)];
export const lastIteration = (data: readonly { iteration: number }[]) => data.reduce((m, p) => Math.max(m, p.iteration), 1);

export type ChartRun = Pick<RunState, 'best' | 'evaluations' | 'config' | 'loss' | 'iterations' | 'config_changes'>;

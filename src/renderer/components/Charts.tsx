import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { downsample } from '../downsample';
import type { RunState } from '../../shared/runState';
import { pct } from '../format';

const COLORS = { best: '#2563eb', random: '#16a34a', gate: '#dc2626', loss: '#111827', policy: '#7c3aed', value: '#ea580c', games: '#0891b2', samples: '#a16207' };

function ChartFrame({ label, height = 240, children }: { label: string; height?: number; children: React.ReactElement }) {
  return (
    <figure role="img" aria-label={label} className="chart">
      <figcaption>{label}</figcaption>
      <div style={{ width: '100%', height }}>
        <ResponsiveContainer width="100%" height="100%" minWidth={200}>
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Points drawn per chart, whatever the history's length. */
const MAX_POINTS = 120;
const DOTS_UP_TO = 60;

export function winRateData(run: Pick<RunState, 'best' | 'evaluations'>) {
  const promoted = new Set((run.best?.history ?? []).filter((h) => h.reason !== 'revert').map((h) => h.iteration));
  return run.evaluations.map((e) => ({
    iteration: e.iteration,
    vsBest: e.vs_champion?.score ?? null,
    vsRandom: e.vs_random?.win_rate ?? null,
    promoted: promoted.has(e.iteration),
  }));
}

/** A bigger ringed dot on iterations that became the best model; plain dots only while there are few points. */
function PromotionDot(props: { cx?: number; cy?: number; payload?: { promoted: boolean }; stroke?: string; plain?: boolean }) {
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

type ChartRun = Pick<RunState, 'best' | 'evaluations' | 'config' | 'loss' | 'iterations'>;

export const WinRateChart = memo(function WinRateChart({ best, evaluations, config }: Pick<ChartRun, 'best' | 'evaluations' | 'config'>) {
  const all = winRateData({ best, evaluations });
  const data = downsample(all, MAX_POINTS, (p) => p.promoted);
  const dot = <PromotionDot plain={data.length <= DOTS_UP_TO} />;
  const run = { config };
  return (
    <ChartFrame label="Win rate">
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="iteration" type="number" domain={[1, Math.max(2, run.config?.iterations ?? 2)]} allowDecimals={false} tick={{ fontSize: 11 }} />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => pct(v)} tick={{ fontSize: 11 }} width={42} />
        <Tooltip formatter={(v) => pct(v as number, 1)} labelFormatter={(l) => `iteration ${l}`} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <ReferenceLine y={run.config?.gateThreshold ?? 0.55} stroke={COLORS.gate} strokeDasharray="6 3" label={{ value: 'gate', position: 'insideTopLeft', fontSize: 11, fill: COLORS.gate }} />
        <Line name="score vs best model" dataKey="vsBest" stroke={COLORS.best} strokeWidth={2} connectNulls isAnimationActive={false} dot={dot} activeDot={false} />
        <Line name="win rate vs random" dataKey="vsRandom" stroke={COLORS.random} strokeWidth={2} connectNulls isAnimationActive={false} dot={dot} activeDot={false} />
      </LineChart>
    </ChartFrame>
  );
});

export const LossChart = memo(function LossChart({ loss }: Pick<ChartRun, 'loss'>) {
  return (
    <ChartFrame label="Loss">
      <LineChart data={downsample(loss, MAX_POINTS)} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={{ fontSize: 11 }} />
        <YAxis tick={{ fontSize: 11 }} width={42} />
        <Tooltip formatter={(v) => (v as number).toFixed(4)} labelFormatter={(l) => `step ${l}`} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line name="total" dataKey="loss" stroke={COLORS.loss} dot={false} strokeWidth={2} isAnimationActive={false} />
        <Line name="policy" dataKey="policy_loss" stroke={COLORS.policy} dot={false} isAnimationActive={false} />
        <Line name="value" dataKey="value_loss" stroke={COLORS.value} dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFrame>
  );
});

export function throughputData(run: Pick<RunState, 'config' | 'iterations'>) {
  const batch = run.config?.batchSize ?? 0;
  return run.iterations.map((s) => ({
    iteration: s.iteration,
    gamesPerSec: s.actor_time > 0 ? s.episodes / s.actor_time : null,
    positionsPerSec: s.actor_time > 0 ? s.transitions / s.actor_time : null,
    samplesPerSec: s.trainer_time > 0 ? (s.steps * batch) / s.trainer_time : null,
  }));
}

export const ThroughputChart = memo(function ThroughputChart({ config, iterations }: Pick<ChartRun, 'config' | 'iterations'>) {
  return (
    <ChartFrame label="Throughput" height={180}>
      <LineChart data={downsample(throughputData({ config, iterations }), MAX_POINTS)} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="iteration" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={{ fontSize: 11 }} />
        <YAxis yAxisId="games" tick={{ fontSize: 11 }} width={42} />
        <YAxis yAxisId="samples" orientation="right" tick={{ fontSize: 11 }} width={52} />
        <Tooltip formatter={(v) => Math.round(v as number).toLocaleString('en')} labelFormatter={(l) => `iteration ${l}`} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line yAxisId="games" name="games/s" dataKey="gamesPerSec" stroke={COLORS.games} isAnimationActive={false} dot={false} />
        <Line yAxisId="samples" name="positions/s" dataKey="positionsPerSec" stroke={COLORS.policy} isAnimationActive={false} dot={false} />
        <Line yAxisId="samples" name="samples/s" dataKey="samplesPerSec" stroke={COLORS.samples} isAnimationActive={false} dot={false} />
      </LineChart>
    </ChartFrame>
  );
});

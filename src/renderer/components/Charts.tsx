import { memo } from 'react';
import { Area, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { promotedIterations } from '../../shared/bestHistory';
import { parsePlayerId, playerLabel } from '../../shared/players';
import type { RatingFit } from '../../shared/ratings';
import type { RunState } from '../../shared/runState';
import { describeChanges, type ConfigChange } from '../../shared/config/changes';
import { iterationTicks, placeReferenceLabels, roundAxis, shareAxis, zeroBasedAxis } from '../chartAxes';
import { downsample } from '../downsample';
import { elo, pct } from '../format';

const COLORS = {
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
function changeLines(changes: readonly ConfigChange[] | undefined, xOf: (iteration: number) => number | null = (i) => i) {
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
type OnIteration = ((iteration: number) => void) | undefined;
const clickIteration = (onIteration: OnIteration) => (state: { activeLabel?: string | number } | null) => {
  const label = Number(state?.activeLabel);
  if (onIteration && Number.isInteger(label)) onIteration(label);
};

/** A titled chart; with `empty`, the text that says why there is nothing to draw yet. */
function ChartFrame({ label, height = 240, empty, children }: { label: string; height?: number; empty?: string | null; children: React.ReactElement | null }) {
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
const MAX_POINTS = 120;
const DOTS_UP_TO = 60;

export function winRateData(run: Pick<RunState, 'best' | 'evaluations'>) {
  const promoted = promotedIterations(run.best);
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

/**
 * Iteration axes span the iterations that have data, not the run's target: a run with a time budget
 * has a target (Connect Four: 1,000) it may never reach, and its curve would fill a sliver of the chart.
 */
const ITERATION_DOMAIN: [number, (dataMax: number) => number] = [1, (dataMax) => Math.max(2, dataMax)];
const lastIteration = (data: readonly { iteration: number }[]) => data.reduce((m, p) => Math.max(m, p.iteration), 1);

type ChartRun = Pick<RunState, 'best' | 'evaluations' | 'config' | 'loss' | 'iterations' | 'config_changes'>;

export const WinRateChart = memo(function WinRateChart({
  best,
  evaluations,
  config,
  config_changes,
  onIteration,
}: Pick<ChartRun, 'best' | 'evaluations' | 'config' | 'config_changes'> & { onIteration?: OnIteration }) {
  // The threshold in force; a run without settings yet draws the one its last evaluation used.
  const gate = config?.gateThreshold ?? evaluations.at(-1)?.gate_threshold ?? null;
  const data = downsample(winRateData({ best, evaluations }), MAX_POINTS, (p) => p.promoted);
  const dot = <PromotionDot plain={data.length <= DOTS_UP_TO} />;
  return (
    <ChartFrame label="Win rate">
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }} onClick={clickIteration(onIteration)}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="iteration" type="number" domain={ITERATION_DOMAIN} ticks={iterationTicks(lastIteration(data))} allowDecimals={false} tick={{ fontSize: 11 }} />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => pct(v)} tick={{ fontSize: 11 }} width={42} />
        <Tooltip formatter={(v) => pct(v as number, 1)} labelFormatter={(l) => `iteration ${l}`} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {changeLines(config_changes)}
        <Line name="score vs best model" dataKey="vsBest" stroke={COLORS.best} strokeWidth={2} connectNulls isAnimationActive={false} dot={dot} activeDot={false} />
        <Line name="win rate vs random" dataKey="vsRandom" stroke={COLORS.random} strokeWidth={2} connectNulls isAnimationActive={false} dot={dot} activeDot={false} />
        {gate !== null && <ReferenceLine y={gate} stroke={COLORS.gate} strokeDasharray="6 3" />}
        {/* No data: only the gate's entry in the legend, where its name does not cover the curves that hover near it. */}
        {gate !== null && <Line name={`gate (${pct(gate)})`} dataKey="gate" stroke={COLORS.gate} strokeDasharray="6 3" legendType="plainline" tooltipType="none" isAnimationActive={false} />}
      </LineChart>
    </ChartFrame>
  );
});

const RATE_LINE = 'learning rate (right)';

export const LossChart = memo(function LossChart({ loss, config_changes }: Pick<ChartRun, 'loss' | 'config_changes'>) {
  // A change's marker sits at the first training step of the iteration it applies to.
  const stepOf = (iteration: number) => loss.find((p) => p.iteration >= iteration)?.step ?? null;
  const steps = zeroBasedAxis(loss.length ? loss[loss.length - 1]!.step : 1);
  // The trainer's rate, on its own axis, where the trainer reports it (the protocol makes it optional).
  const showRate = loss.some((p) => p.lr !== null);
  return (
    <ChartFrame label="Loss">
      <LineChart data={downsample(loss, MAX_POINTS)} margin={{ top: 8, right: showRate ? 0 : 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="step" type="number" domain={steps.domain} ticks={steps.ticks} tickFormatter={(v: number) => v.toLocaleString('en')} tick={{ fontSize: 11 }} />
        <YAxis tick={{ fontSize: 11 }} width={42} />
        {showRate && <YAxis yAxisId="lr" orientation="right" tick={{ fontSize: 11 }} width={52} tickFormatter={(v: number) => String(Number(v.toPrecision(2)))} />}
        <Tooltip formatter={(v, name) => (name === RATE_LINE ? (v as number).toExponential(2) : (v as number).toFixed(4))} labelFormatter={(l) => `step ${l}`} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {changeLines(config_changes, stepOf)}
        <Line name="total" dataKey="loss" stroke={COLORS.loss} dot={false} strokeWidth={2} isAnimationActive={false} />
        <Line name="policy" dataKey="policy_loss" stroke={COLORS.policy} dot={false} isAnimationActive={false} />
        <Line name="value" dataKey="value_loss" stroke={COLORS.value} dot={false} isAnimationActive={false} />
        {showRate && <Line yAxisId="lr" name={RATE_LINE} dataKey="lr" stroke={COLORS.rate} strokeDasharray="4 3" dot={false} isAnimationActive={false} />}
      </LineChart>
    </ChartFrame>
  );
});

export function throughputData(run: Pick<RunState, 'config' | 'iterations'>) {
  const batch = run.config?.batchSize ?? 0;
  return run.iterations.map((s) => ({
    iteration: s.iteration,
    positionsPerSec: s.actor_time > 0 ? s.transitions / s.actor_time : null,
    samplesPerSec: s.trainer_time > 0 ? (s.steps * batch) / s.trainer_time : null,
  }));
}

export const ThroughputChart = memo(function ThroughputChart({ config, iterations, config_changes }: Pick<ChartRun, 'config' | 'iterations' | 'config_changes'>) {
  const data = downsample(throughputData({ config, iterations }), MAX_POINTS);
  return (
    <ChartFrame label="Throughput" height={180}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="iteration" type="number" domain={ITERATION_DOMAIN} ticks={iterationTicks(lastIteration(data))} allowDecimals={false} tick={{ fontSize: 11 }} />
        {/* Positions per second on both sides: generated by self-play (left), consumed by training (right).
            Games/s, 30-40 times smaller, would need a third scale; the phase line above shows it live. */}
        <YAxis yAxisId="positions" tick={{ fontSize: 11 }} width={52} />
        <YAxis yAxisId="samples" orientation="right" tick={{ fontSize: 11 }} width={52} />
        <Tooltip formatter={(v) => Math.round(v as number).toLocaleString('en')} labelFormatter={(l) => `iteration ${l}`} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {changeLines(config_changes)}
        <Line yAxisId="positions" name="self-play positions/s" dataKey="positionsPerSec" stroke={COLORS.policy} isAnimationActive={false} dot={false} />
        <Line yAxisId="samples" name="training samples/s" dataKey="samplesPerSec" stroke={COLORS.samples} isAnimationActive={false} dot={false} />
      </LineChart>
    </ChartFrame>
  );
});

/** Iterations where the best model was reverted, placed at the last iteration completed before the revert. */
function revertMarks(run: Pick<RunState, 'best' | 'iterations'>): { iteration: number; to: number; at: string }[] {
  return (run.best?.history ?? [])
    .filter((h) => h.reason === 'revert')
    .map((h) => {
      const before = run.iterations.filter((s) => s.timestamp <= h.promoted_at);
      return { iteration: before.length ? before[before.length - 1]!.iteration : 1, to: h.iteration, at: h.promoted_at };
    });
}

export function ratingData(run: Pick<RunState, 'best' | 'iterations'>, fit: RatingFit) {
  const promoted = promotedIterations(run.best);
  const points = fit.players
    .map((p) => ({ p, ref: parsePlayerId(p.id) }))
    .filter((x) => x.ref?.kind === 'model')
    .map(({ p, ref }) => ({
      iteration: (ref as { iteration: number }).iteration,
      elo: p.elo,
      band: [p.elo_low, p.elo_high] as [number, number],
      promoted: promoted.has((ref as { iteration: number }).iteration),
    }))
    .sort((a, b) => a.iteration - b.iteration);
  const references = fit.players
    .filter((p) => parsePlayerId(p.id)?.kind !== 'model')
    .map((p) => ({ id: p.id, elo: p.elo }))
    .sort((a, b) => a.elo - b.elo);
  return { points, references, reverts: revertMarks(run) };
}

/** The rating chart's plot height in pixels, about: the frame's 240 less the legend, the axis and the margins. */
const RATING_PLOT_PIXELS = 170;

export const RatingChart = memo(function RatingChart({
  best,
  iterations,
  config_changes,
  fit,
  onIteration,
}: Pick<ChartRun, 'best' | 'iterations' | 'config_changes'> & { fit: RatingFit; onIteration?: OnIteration }) {
  const { points, references, reverts } = ratingData({ best, iterations }, fit);
  const data = downsample(points, MAX_POINTS, (p) => p.promoted);
  const dot = <PromotionDot plain={data.length <= DOTS_UP_TO} />;
  // The axis spans the models' intervals; references outside it (random, the weakest alpha-beta) are left off.
  const axis = roundAxis(
    points.flatMap((p) => p.band),
    100,
  );
  const labelSides = placeReferenceLabels(
    references.map((r) => r.elo),
    axis.domain,
    RATING_PLOT_PIXELS,
  );
  return (
    <ChartFrame
      label="Rating"
      empty={
        points.length > 0
          ? null
          : fit.disconnected.length
            ? `No rating yet: ${fit.disconnected.map(playerLabel).join(', ')} have no chain of games to the random player.`
            : 'No rated games yet: ratings appear after the first evaluation.'
      }
    >
      {points.length === 0 ? null : (
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }} onClick={clickIteration(onIteration)}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="iteration" type="number" domain={ITERATION_DOMAIN} ticks={iterationTicks(lastIteration(data))} allowDecimals={false} tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} width={48} domain={axis.domain} ticks={axis.ticks} tickFormatter={(v: number) => String(Math.round(v))} />
          <Tooltip
            formatter={(v, name) => (Array.isArray(v) ? `${Math.round(v[0] as number)} to ${Math.round(v[1] as number)}` : elo(v as number)) + (name === 'band' ? '' : ' Elo')}
            labelFormatter={(l) => `iteration ${l}`}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {references.map((r, i) => (
            <ReferenceLine
              key={r.id}
              y={r.elo}
              stroke={COLORS.reference}
              strokeDasharray="4 4"
              label={{ value: `${playerLabel(r.id)} ${Math.round(r.elo)}`, position: labelSides[i], fontSize: 10, fill: COLORS.reference }}
            />
          ))}
          {reverts.map((r) => (
            <ReferenceLine
              key={`revert-${r.iteration}-${r.to}-${r.at}`}
              x={r.iteration}
              stroke={COLORS.revert}
              strokeDasharray="2 3"
              label={{ value: `revert to ${r.to}`, position: 'insideTopLeft', fontSize: 10, fill: COLORS.revert }}
            />
          ))}
          {changeLines(config_changes)}
          <Area name="95% interval" dataKey="band" stroke="none" fill={COLORS.band} fillOpacity={0.5} isAnimationActive={false} legendType="square" />
          <Line name="Elo (random = 0)" dataKey="elo" stroke={COLORS.rating} strokeWidth={2} isAnimationActive={false} dot={dot} activeDot={false} />
        </ComposedChart>
      )}
    </ChartFrame>
  );
});

export function accuracyData(run: Pick<RunState, 'evaluations'>) {
  return run.evaluations
    .filter((e) => e.accuracy)
    .map((e) => ({
      iteration: e.iteration,
      overall: e.accuracy!.rate,
      opening: e.accuracy!.by_stage.opening?.rate ?? null,
      middle: e.accuracy!.by_stage.middle?.rate ?? null,
      end: e.accuracy!.by_stage.end?.rate ?? null,
    }));
}

export const AccuracyChart = memo(function AccuracyChart({ evaluations, config_changes, onIteration }: Pick<ChartRun, 'evaluations' | 'config_changes'> & { onIteration?: OnIteration }) {
  const data = downsample(accuracyData({ evaluations }), MAX_POINTS);
  const set = evaluations.find((e) => e.accuracy)?.accuracy;
  const shares = shareAxis(Math.min(...data.flatMap((p) => [p.overall, p.opening, p.middle, p.end].filter((v): v is number => v !== null))));
  return (
    <ChartFrame label="Accuracy vs perfect play" empty={data.length === 0 ? 'No accuracy yet: it is scored in each evaluation, for games with a solver.' : null}>
      {data.length === 0 ? null : (
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }} onClick={clickIteration(onIteration)}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="iteration" type="number" domain={ITERATION_DOMAIN} ticks={iterationTicks(lastIteration(data))} allowDecimals={false} tick={{ fontSize: 11 }} />
          <YAxis domain={shares.domain} ticks={shares.ticks} tickFormatter={(v: number) => pct(v)} tick={{ fontSize: 11 }} width={42} />
          <Tooltip formatter={(v) => pct(v as number, 1)} labelFormatter={(l) => `iteration ${l}${set ? ` (${set.positions} positions of ${set.set})` : ''}`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {changeLines(config_changes)}
          <Line name="all positions" dataKey="overall" stroke={COLORS.best} strokeWidth={2} isAnimationActive={false} dot={data.length <= DOTS_UP_TO} />
          <Line name="opening" dataKey="opening" stroke={COLORS.random} strokeWidth={1} isAnimationActive={false} dot={false} connectNulls />
          <Line name="middle game" dataKey="middle" stroke={COLORS.value} strokeWidth={1} isAnimationActive={false} dot={false} connectNulls />
          <Line name="end game" dataKey="end" stroke={COLORS.policy} strokeWidth={1} isAnimationActive={false} dot={false} connectNulls />
        </LineChart>
      )}
    </ChartFrame>
  );
});

/** Each model's Elo rating with its 95% interval, the reference players, and reverts of the best model. */
import { memo } from 'react';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { promotedIterations } from '../../../shared/bestHistory';
import { parsePlayerId, playerLabel } from '../../../shared/players';
import type { RatingFit } from '../../../shared/ratings';
import type { RunState } from '../../../shared/runState';
import { elo } from '../../format';
import { iterationTicks, placeReferenceLabels, roundAxis } from './axes';
import { ChartFrame, changeLines, clickIteration, COLORS, DOTS_UP_TO, ITERATION_DOMAIN, lastIteration, MAX_POINTS, PromotionDot, type ChartRun, type OnIteration } from './chartParts';
import { downsample } from './downsample';

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
  const data = downsample(
    points,
    MAX_POINTS,
    (p) => p.iteration,
    (p) => p.promoted,
  );
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

/** Accuracy against perfect play in the game's labelled positions, overall and by stage of the game. */
import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunState } from '../../../shared/runState';
import { pct } from '../../format';
import { iterationTicks, shareAxis } from './axes';
import { ChartFrame, changeLines, clickIteration, COLORS, DOTS_UP_TO, ITERATION_DOMAIN, lastIteration, MAX_POINTS, type ChartRun, type OnIteration } from './chartParts';
import { downsample } from './downsample';

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

interface AccuracyChartProps extends Pick<ChartRun, 'evaluations' | 'config_changes'> {
  onIteration?: OnIteration;
  /** Why this run's models are not scored, for a game without a perfect-play position set. */
  unscored?: string | null;
}

export const AccuracyChart = memo(function AccuracyChart({ evaluations, config_changes, onIteration, unscored }: AccuracyChartProps) {
  const data = downsample(accuracyData({ evaluations }), MAX_POINTS, (p) => p.iteration);
  const set = evaluations.find((e) => e.accuracy)?.accuracy;
  const shares = shareAxis(Math.min(...data.flatMap((p) => [p.overall, p.opening, p.middle, p.end].filter((v): v is number => v !== null))));
  return (
    <ChartFrame label="Accuracy vs perfect play" empty={data.length === 0 ? (unscored ?? 'No accuracy yet: it is scored in each evaluation.') : null}>
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

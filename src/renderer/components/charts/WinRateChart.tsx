/** The score of each new model against the best model and its win rate against random, with the gate's threshold and promotions. */
import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { promotedIterations } from '../../../shared/bestHistory';
import type { RunState } from '../../../shared/runState';
import { pct } from '../../format';
import { iterationTicks } from './axes';
import { ChartFrame, changeLines, clickIteration, COLORS, DOTS_UP_TO, ITERATION_DOMAIN, lastIteration, MAX_POINTS, PromotionDot, type ChartRun, type OnIteration } from './chartParts';
import { downsample } from './downsample';

export function winRateData(run: Pick<RunState, 'best' | 'evaluations'>) {
  const promoted = promotedIterations(run.best);
  return run.evaluations.map((e) => ({
    iteration: e.iteration,
    vsBest: e.vs_champion?.score ?? null,
    vsRandom: e.vs_random?.win_rate ?? null,
    promoted: promoted.has(e.iteration),
  }));
}

export const WinRateChart = memo(function WinRateChart({
  best,
  evaluations,
  config,
  config_changes,
  onIteration,
}: Pick<ChartRun, 'best' | 'evaluations' | 'config' | 'config_changes'> & { onIteration?: OnIteration }) {
  // The threshold in force; a run without settings yet draws the one its last evaluation used.
  const gate = config?.gateThreshold ?? evaluations.at(-1)?.gate_threshold ?? null;
  const data = downsample(
    winRateData({ best, evaluations }),
    MAX_POINTS,
    (p) => p.iteration,
    (p) => p.promoted,
  );
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

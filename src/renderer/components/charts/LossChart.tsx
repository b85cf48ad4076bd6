/** The trainer's losses by step, with its learning rate on a second axis where it reports one. */
import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { zeroBasedAxis } from './axes';
import { ChartFrame, changeLines, COLORS, MAX_POINTS, type ChartRun } from './chartParts';
import { downsample } from './downsample';

const RATE_LINE = 'learning rate (right)';

export const LossChart = memo(function LossChart({ loss, config_changes }: Pick<ChartRun, 'loss' | 'config_changes'>) {
  // A change's marker sits at the first training step of the iteration it applies to.
  const stepOf = (iteration: number) => loss.find((p) => p.iteration >= iteration)?.step ?? null;
  const steps = zeroBasedAxis(loss.length ? loss[loss.length - 1]!.step : 1);
  // The trainer's rate, on its own axis, where the trainer reports it (the protocol makes it optional).
  const showRate = loss.some((p) => p.lr !== null);
  return (
    <ChartFrame label="Loss">
      <LineChart data={downsample(loss, MAX_POINTS, (p) => p.step)} margin={{ top: 8, right: showRate ? 0 : 16, bottom: 4, left: 0 }}>
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

/**
 * 95% intervals across seeds: a cell's mean (Student's t), and the difference of two cells'
 * means (Welch's t, which does not assume equal spread). With a handful of seeds the t quantile
 * matters: 4.30 for 3 seeds, against the normal's 1.96.
 */

export interface MeanInterval {
  n: number;
  mean: number;
  low: number;
  high: number;
}

export interface DifferenceInterval {
  difference: number;
  low: number;
  high: number;
  /** The interval excludes 0: more than seed noise at 95%. */
  significant: boolean;
}

// Two-sided 95% quantiles of Student's t by degrees of freedom.
const T975: [number, number][] = [
  [1, 12.706],
  [2, 4.303],
  [3, 3.182],
  [4, 2.776],
  [5, 2.571],
  [6, 2.447],
  [7, 2.365],
  [8, 2.306],
  [9, 2.262],
  [10, 2.228],
  [12, 2.179],
  [15, 2.131],
  [20, 2.086],
  [30, 2.042],
  [60, 2.0],
  [120, 1.98],
];

/** The t quantile for `df` degrees of freedom (interpolated in 1/df between the table's rows). */
export function t975(df: number): number {
  if (!(df >= 1)) return Number.POSITIVE_INFINITY;
  if (df >= 120) return 1.96 + (1.98 - 1.96) * (120 / df);
  for (let i = 1; i < T975.length; i++) {
    const [d1, t1] = T975[i - 1]!;
    const [d2, t2] = T975[i]!;
    if (df <= d2) return t1 + ((1 / df - 1 / d1) / (1 / d2 - 1 / d1)) * (t2 - t1);
  }
  return 1.96;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

/** The mean of the seeds' values and its 95% interval; one value gives no interval (low = high = NaN). */
export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length;
  if (n === 0) return { n, mean: Number.NaN, low: Number.NaN, high: Number.NaN };
  const m = mean(values);
  if (n === 1) return { n, mean: m, low: Number.NaN, high: Number.NaN };
  const half = t975(n - 1) * Math.sqrt(variance(values) / n);
  return { n, mean: m, low: m - half, high: m + half };
}

/** a's mean minus b's, with Welch's 95% interval; null when either has fewer than two values. */
export function differenceInterval(a: readonly number[], b: readonly number[]): DifferenceInterval | null {
  if (a.length < 2 || b.length < 2) return null;
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const difference = mean(a) - mean(b);
  const se = Math.sqrt(va + vb);
  if (se === 0) return { difference, low: difference, high: difference, significant: difference !== 0 };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const half = t975(df) * se;
  return { difference, low: difference - half, high: difference + half, significant: difference - half > 0 || difference + half < 0 };
}

/** An interval of a measure that cannot leave [min, max] (a share, a count), cut to that range. */
export function withinBounds(m: MeanInterval, min: number, max: number): MeanInterval {
  return { ...m, low: Math.max(min, m.low), high: Math.min(max, m.high) };
}

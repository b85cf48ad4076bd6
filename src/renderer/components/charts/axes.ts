/**
 * Axis ticks and label placement for the charts: round tick values (1, 2, 2.5 or 5 times a power of
 * ten) instead of the data's own extremes, and reference-line labels that do not overlap each other.
 */

/** A round step that cuts `span` into about `count` parts. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  const factor = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  return factor * magnitude;
}

/** The multiples of `step` in [low, high], rounded so float steps print cleanly. */
function multiples(low: number, high: number, step: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.ceil(low / step - 1e-9); k * step <= high + 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** A round whole step: 2.5 becomes 2, and nothing below 1. */
const wholeStep = (step: number) => Math.max(1, Number.isInteger(step) ? step : Math.floor(step));

/** Iteration axis from 1 to the last iteration: 1, then round multiples (1, 20, 40, 60, 80 for 89). */
export function iterationTicks(last: number): number[] {
  const high = Math.max(2, last);
  const step = wholeStep(niceStep(high - 1, 5));
  return [1, ...multiples(step, high, step).filter((t) => t > 1)];
}

/** A whole-number axis from 0 to `high` with round ticks (training steps: 0, 10,000, 20,000, 30,000). */
export function zeroBasedAxis(high: number): { domain: [number, number]; ticks: number[] } {
  const step = wholeStep(niceStep(Math.max(high, 1), 4));
  return { domain: [0, Math.max(high, step)], ticks: multiples(0, Math.max(high, step), step) };
}

/**
 * A share axis that ends at 100% and starts at a round share at or below the lowest value: ticks every
 * 5% over a span of up to 30%, every 10% up to 60%, every 20% above that.
 */
export function shareAxis(lowest: number): { domain: [number, number]; ticks: number[] } {
  const low = Math.max(0, Math.floor(Math.min(lowest, 0.95) * 20 + 1e-9) / 20);
  const span = 1 - low;
  const step = span <= 0.3 + 1e-9 ? 0.05 : span <= 0.6 + 1e-9 ? 0.1 : 0.2;
  const start = Number((Math.floor(low / step + 1e-9) * step).toPrecision(12));
  return { domain: [start, 1], ticks: multiples(start, 1, step) };
}

/**
 * An axis that covers every value, with round bounds and ticks (ratings: 400, 600, ..., 1400), at
 * least `minSpan` wide around the values' middle.
 */
export function roundAxis(values: readonly number[], minSpan: number, count = 4): { domain: [number, number]; ticks: number[] } {
  const finite = values.filter(Number.isFinite);
  let low = finite.length ? Math.min(...finite) : 0;
  let high = finite.length ? Math.max(...finite) : minSpan;
  if (high - low < minSpan) {
    const middle = (low + high) / 2;
    [low, high] = [middle - minSpan / 2, middle + minSpan / 2];
  }
  const step = niceStep(high - low, count);
  const domain: [number, number] = [Math.floor(low / step) * step, Math.ceil(high / step) * step];
  return { domain, ticks: multiples(domain[0], domain[1], step) };
}

export type LabelSide = 'insideTopRight' | 'insideBottomRight' | 'insideTopLeft' | 'insideBottomLeft';

/**
 * Where to put each horizontal reference line's label so no two overlap and none leaves the plot:
 * above its line at the right end where there is room, else below it, else the same on the left
 * (where a run's curve usually starts low, so the left is the last choice). Taken from the highest
 * line down, so of two close lines the upper one's label goes above and the lower one's below. The
 * plot spans `domain` over `plotPixels`; a label is `labelPixels` tall and sits `gapPixels` off its
 * line (recharts' default label offset). In recharts' terms a label "inside the bottom" of a
 * horizontal line sits above it (SVG's y grows downwards).
 */
export function placeReferenceLabels(values: readonly number[], domain: readonly [number, number], plotPixels: number, labelPixels = 12, gapPixels = 5): LabelSide[] {
  const pixelsPerUnit = plotPixels / (domain[1] - domain[0]);
  const taken: Record<'Right' | 'Left', [number, number][]> = { Right: [], Left: [] };
  const inPlot = ([a, b]: [number, number]) => a >= 0 && b <= plotPixels;
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v);
  const sides: LabelSide[] = new Array(values.length).fill('insideBottomRight');
  for (const { v, i } of order) {
    const y = (v - domain[0]) * pixelsPerUnit;
    const above: [number, number] = [y + gapPixels, y + gapPixels + labelPixels];
    const below: [number, number] = [y - gapPixels - labelPixels, y - gapPixels];
    const candidates: [LabelSide, 'Right' | 'Left', [number, number]][] = [
      ['insideBottomRight', 'Right', above],
      ['insideTopRight', 'Right', below],
      ['insideBottomLeft', 'Left', above],
      ['insideTopLeft', 'Left', below],
    ];
    const free = candidates.find(([, side, span]) => inPlot(span) && taken[side].every(([c, d]) => span[1] <= c || span[0] >= d)) ?? candidates.find(([, , span]) => inPlot(span)) ?? candidates[0]!;
    taken[free[1]].push(free[2]);
    sides[i] = free[0];
  }
  return sides;
}

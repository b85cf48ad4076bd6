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

/** Iteration axis from 1 to the last iteration: 1, then round multiples (1, 20, 40, 60, 80 for 89). */
export function iterationTicks(last: number): number[] {
  const high = Math.max(2, last);
  const step = Math.max(1, Math.round(niceStep(high - 1, 4)));
  return [1, ...multiples(step, high, step).filter((t) => t > 1)];
}

/** An axis from 0 to `high` with round ticks (training steps: 0, 10,000, 20,000, 30,000). */
export function zeroBasedAxis(high: number): { domain: [number, number]; ticks: number[] } {
  const step = niceStep(Math.max(high, 1), 4);
  return { domain: [0, Math.max(high, step)], ticks: multiples(0, Math.max(high, step), step) };
}

/**
 * A share axis that ends at 100% and starts at a round share at or below the lowest value: ticks every
 * 5% over a span of up to 30%, every 10% above that.
 */
export function shareAxis(lowest: number): { domain: [number, number]; ticks: number[] } {
  const low = Math.max(0, Math.floor(Math.min(lowest, 0.95) * 20) / 20);
  const step = 1 - low <= 0.3 ? 0.05 : 0.1;
  const start = Number((Math.floor(low / step + 1e-9) * step).toPrecision(12));
  return { domain: [start, 1], ticks: multiples(start, 1, step) };
}

/** An axis that covers every value, with round bounds and ticks (ratings: 250, 500, 750, ...). */
export function roundAxis(values: readonly number[], count = 4): { domain: [number, number]; ticks: number[] } {
  const finite = values.filter(Number.isFinite);
  const low = finite.length ? Math.min(...finite) : 0;
  const high = finite.length ? Math.max(...finite) : 1;
  const step = niceStep(Math.max(high - low, 1), count);
  const domain: [number, number] = [Math.floor(low / step) * step, Math.ceil(high / step) * step];
  if (domain[1] === domain[0]) domain[1] += step;
  return { domain, ticks: multiples(domain[0], domain[1], step) };
}

export type LabelSide = 'insideTopRight' | 'insideBottomRight' | 'insideTopLeft' | 'insideBottomLeft';

/**
 * Where to put each horizontal reference line's label so no two overlap: above its line at the right
 * end where there is room, else below it, else the same on the left (where a run's curve usually
 * starts low, so the left is the last choice). Taken from the highest line down, so of two close lines
 * the upper one's label goes above and the lower one's below. `pixelsPerUnit` converts the values'
 * units to pixels; a label is `labelPixels` tall. In recharts' terms a label "inside the bottom" of a
 * horizontal line sits above it (SVG's y grows downwards).
 */
export function placeReferenceLabels(values: readonly number[], pixelsPerUnit: number, labelPixels = 12): LabelSide[] {
  const taken: Record<'Right' | 'Left', [number, number][]> = { Right: [], Left: [] };
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v);
  const sides: LabelSide[] = new Array(values.length).fill('insideBottomRight');
  for (const { v, i } of order) {
    const y = v * pixelsPerUnit;
    const above: [number, number] = [y + 1, y + 1 + labelPixels];
    const below: [number, number] = [y - 1 - labelPixels, y - 1];
    const candidates: [LabelSide, 'Right' | 'Left', [number, number]][] = [
      ['insideBottomRight', 'Right', above],
      ['insideTopRight', 'Right', below],
      ['insideBottomLeft', 'Left', above],
      ['insideTopLeft', 'Left', below],
    ];
    const free = candidates.find(([, side, [a, b]]) => taken[side].every(([c, d]) => b <= c || a >= d)) ?? candidates[0]!;
    taken[free[1]].push(free[2]);
    sides[i] = free[0];
  }
  return sides;
}

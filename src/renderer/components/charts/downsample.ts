/**
 * At most `max` points for a chart: evenly spaced, always the last one, and
 * every point `keep` asks for (e.g. promotions). Thousands of SVG points cost
 * more than a frame and show nothing more at chart width.
 */
export function downsample<T>(points: readonly T[], max: number, keep?: (p: T) => boolean): T[] {
  if (points.length <= max) return points as T[];
  const step = points.length / max;
  const out: T[] = [];
  let next = 0;
  for (let i = 0; i < points.length; i++) {
    if (i >= next || i === points.length - 1 || keep?.(points[i]!)) {
      out.push(points[i]!);
      if (i >= next) next += step;
    }
  }
  return out;
}

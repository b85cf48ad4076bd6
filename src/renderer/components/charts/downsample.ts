/**
 * At most about `max` points for a chart, evenly spaced along x (a long run's window holds its
 * newest iterations densely and older ones sparsely, history.ts, so spacing by index would crowd
 * the right edge): always the last one, and every point `keep` asks for (e.g. promotions).
 * Thousands of SVG points cost more than a frame and show nothing more at chart width.
 */
export function downsample<T>(points: readonly T[], max: number, x: (p: T) => number, keep?: (p: T) => boolean): T[] {
  if (points.length <= max) return points as T[];
  const first = x(points[0]!);
  const step = (x(points[points.length - 1]!) - first) / max;
  const out: T[] = [];
  let next = first;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const due = x(p) >= next;
    if (due || i === points.length - 1 || keep?.(p)) {
      out.push(p);
      if (due) next = x(p) + step;
    }
  }
  return out;
}

/**
 * A run's measures as series for comparing runs: rating (on the run's own scale, random = 0) and
 * accuracy of every evaluated model, by iteration or by wall-clock minutes since the run was
 * created (runs compared at equal compute).
 */
import { parsePlayerId } from '../players';
import type { RunState } from '../runState';
import type { RatedRun } from './report';

export type Axis = 'iteration' | 'minutes';
export type Point = { x: number; y: number };

/**
 * x of an iteration: the iteration (a branch's counted on from its parent's, so
 * its curve starts where it branched), or minutes from the run's creation to
 * the end of that iteration.
 */
function xOf(run: RunState, axis: Axis, iteration: number): number | null {
  if (axis === 'iteration') return iteration + (run.parent?.iteration ?? 0);
  if (iteration === 0) return 0;
  const stats = run.iterations.find((s) => s.iteration === iteration);
  return stats ? (Date.parse(stats.timestamp) - Date.parse(run.created_at)) / 60_000 : null;
}

export function ratingSeries({ state: run, fit }: RatedRun, axis: Axis): Point[] {
  return fit.players
    .flatMap((p) => {
      const ref = parsePlayerId(p.id);
      const x = ref?.kind === 'model' ? xOf(run, axis, ref.iteration) : null;
      return x === null ? [] : [{ x, y: p.elo }];
    })
    .sort((a, b) => a.x - b.x);
}

export function accuracySeries(run: RunState, axis: Axis): Point[] {
  return run.evaluations.flatMap((e) => {
    const x = e.accuracy ? xOf(run, axis, e.iteration) : null;
    return x === null ? [] : [{ x, y: e.accuracy!.rate }];
  });
}

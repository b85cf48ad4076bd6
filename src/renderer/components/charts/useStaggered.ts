/**
 * One copy of `value` per chart, each taking the newest value a frame after the one before: every
 * chart then commits its update in a task of its own, so that no frame holds more than one chart's
 * render (together, five charts of a 2,000-iteration run took three frames in one commit).
 */
import { useEffect, useRef, useState } from 'react';

export const STAGGER_MS = 20;

export function useStaggered<T>(value: T, slots: number): T[] {
  const [copies, setCopies] = useState<T[]>(() => new Array<T>(slots).fill(value));
  const latest = useRef(value);
  latest.current = value;
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new value schedules the copies; the timers read the newest one.
  useEffect(() => {
    // Timers are never cancelled by a newer value, so a steady stream of updates cannot starve the last charts.
    for (let k = 0; k < slots; k++)
      setTimeout(() => {
        if (!mounted.current) return;
        setCopies((old) => (old[k] === latest.current ? old : old.map((v, i) => (i === k ? latest.current : v))));
      }, k * STAGGER_MS);
  }, [value, slots]);
  return copies;
}

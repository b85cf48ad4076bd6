/**
 * A long run's models table holds the window's bounded history (history.ts); this says what it
 * shows and brings any other iterations in on demand, their records whole and their ratings.
 */
import { type FormEvent, useState } from 'react';
import { type IterationRecords, MAX_ITERATIONS_ASKED } from '../../shared/api';
import { RECENT_ITERATIONS } from '../../shared/keptIterations';
import type { RatingFit } from '../../shared/ratings';
import type { EvalRecord, IterationStats } from '../../shared/stats';
import { errorText } from '../format';
import { actions } from '../store';

export function IterationLookup({ runName, held, total, stride, onLoaded }: { runName: string; held: number; total: number; stride: number; onLoaded(records: IterationRecords | null): void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [a, b] = [Number(from), Number(to || from)];
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < a || b - a >= MAX_ITERATIONS_ASKED) {
      setError(`Give whole iteration numbers from 1 to ${total}, the first no later than the last, at most ${MAX_ITERATIONS_ASKED} at a time.`);
      return;
    }
    actions.getIterations(runName, a, b).then(
      (records) => {
        setError(null);
        setShown(`iterations ${a} to ${b}: ${records.iterations.length} found`);
        onLoaded(records);
      },
      (e) => setError(errorText(e)),
    );
  };
  return (
    <form className="toolbar history-note" aria-label="Look up iterations" onSubmit={submit}>
      <span className="muted" role="note" aria-label="History held">
        Showing {held.toLocaleString('en')} of {total.toLocaleString('en')} iterations: one in {stride}, the last {RECENT_ITERATIONS}, and the best models'.
      </span>
      <label>
        Iterations <input type="number" min={1} max={total} value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From iteration" />
      </label>
      <label>
        to <input type="number" min={1} max={total} value={to} onChange={(e) => setTo(e.target.value)} aria-label="To iteration" />
      </label>
      <button type="submit" className="small">
        Show
      </button>
      {shown && (
        <button
          type="button"
          className="small"
          onClick={() => {
            setShown(null);
            onLoaded(null);
          }}
        >
          Hide {shown}
        </button>
      )}
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </form>
  );
}

/** The window's iterations with those asked for, in iteration order, and their ratings beside the fit's. */
export function withRecords(iterations: IterationStats[], evaluations: EvalRecord[], fit: RatingFit, records: IterationRecords | null) {
  if (!records) return { iterations, evaluations, fit };
  const merge = <T extends { iteration: number }>(held: T[], asked: T[]) => {
    const have = new Set(held.map((x) => x.iteration));
    return [...held, ...asked.filter((x) => !have.has(x.iteration))].sort((a, b) => a.iteration - b.iteration);
  };
  const rated = new Set(fit.players.map((p) => p.id));
  return {
    iterations: merge(iterations, records.iterations),
    evaluations: merge(evaluations, records.evaluations),
    fit: { ...fit, players: [...fit.players, ...records.ratings.filter((p) => !rated.has(p.id))] },
  };
}

import { useEffect, useState } from 'react';
import { gameLabel } from '../../shared/games';
import { summaryProgress } from '../../shared/runLimits';
import { errorText, pct } from '../format';
import { loadRuns, useStore } from '../store';

export function RunsList({ onOpen, onNew, onNewExperiment, onCompare }: { onOpen(name: string): void; onNew(): void; onNewExperiment(): void; onCompare(): void }) {
  const runs = useStore((s) => s.runs);
  const folder = useStore((s) => s.runsFolder);
  // null while loading; a failed load is an error with a retry, never an empty list.
  const [state, setState] = useState<{ loaded: boolean; error: string | null }>({ loaded: false, error: null });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load when Retry is clicked
  useEffect(() => {
    loadRuns().then(
      () => setState({ loaded: true, error: null }),
      (e) => setState({ loaded: false, error: errorText(e) }),
    );
  }, [attempt]);
  return (
    <section className="panel">
      <header className="panel-header">
        <h2>Runs</h2>
        {folder && (
          <span className="runs-folder" title="Runs started from a terminal in this folder show here too">
            in <code>{folder}</code>
          </span>
        )}
        <div className="toolbar">
          <button type="button" onClick={onCompare} disabled={runs.length < 1}>
            Compare
          </button>
          <button type="button" onClick={onNewExperiment}>
            New experiment
          </button>
          <button type="button" className="primary" onClick={onNew}>
            New run
          </button>
        </div>
      </header>
      {state.error ? (
        <p role="alert" className="error">
          Could not list the runs: {state.error}{' '}
          <button type="button" className="small" onClick={() => setAttempt((n) => n + 1)}>
            Retry
          </button>
        </p>
      ) : !state.loaded && runs.length === 0 ? (
        <p className="empty">Loading…</p>
      ) : runs.length === 0 ? (
        <p className="empty">No runs yet. Start one with “New run”.</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>Run</th>
              <th>Game</th>
              <th>State</th>
              <th>Progress</th>
              <th>Best</th>
              <th>vs best</th>
              <th>vs random</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.name} className="clickable" onClick={() => onOpen(r.name)}>
                <td>
                  <a href={`#/run/${encodeURIComponent(r.name)}`} onClick={(e) => e.preventDefault()}>
                    {r.name}
                  </a>
                  {r.parent ? (
                    <span className="muted">
                      {' '}
                      (branch of {r.parent.run} at iteration {r.parent.iteration})
                    </span>
                  ) : null}
                </td>
                <td>{gameLabel(r.game)}</td>
                <td>
                  <span className={`badge ${r.status}`}>{r.status}</span>
                </td>
                <td>{summaryProgress(r)}</td>
                <td>{r.best_iteration ?? '–'}</td>
                <td>{pct(r.last_vs_best)}</td>
                <td>{pct(r.last_vs_random)}</td>
                <td>{r.created_at ? new Date(r.created_at).toLocaleString() : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

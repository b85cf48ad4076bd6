/**
 * An experiment's runs on one rating scale (loopdeck scale): their best models play each other and
 * the reference players, and one fit rates them together. Shows each run and each cell on that
 * scale, and which pairs of runs are connected by games rather than only through the references.
 */
import { useEffect, useState } from 'react';
import { meanInterval } from '../../shared/experiments/intervals';
import { intervalText } from '../../shared/experiments/report';
import type { ScaleState } from '../../shared/experiments/scale';
import type { RunSummary } from '../../shared/stats';
import { errorText } from '../format';
import { actions } from '../store';

/** Games per match of the scale's round robin. */
const SCALE_GAMES = 20;
const POLL_MS = 2_000;

export function ExperimentScale({ name, cells, complete }: { name: string; cells: readonly { cell: number; label: string; runs: readonly RunSummary[] }[]; complete: boolean }) {
  const [scale, setScale] = useState<ScaleState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = scale?.running ?? false;
  useEffect(() => {
    let live = true;
    const read = () =>
      actions.getScale(name).then(
        (s) => live && setScale(s),
        () => {},
      );
    void read();
    if (!running) return;
    const timer = setInterval(read, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [name, running]);
  const start = () =>
    actions
      .startScale(
        name,
        cells.flatMap((c) => c.runs.map((r) => r.name)),
        SCALE_GAMES,
      )
      .then(
        (s) => {
          setError(null);
          setScale(s);
        },
        (e) => setError(errorText(e)),
      );

  const report = scale?.report;
  const onlyReferences = report?.pairs.filter((p) => p.link !== 'games') ?? [];
  return (
    <section className="card" aria-label={`One scale for ${name}`}>
      <header className="card-header">
        <h3>One scale</h3>
        {!running && (!report || report.played_matches < report.matches) && (
          <button type="button" className="small" disabled={!complete} title={complete ? undefined : 'when every run of the experiment is done'} onClick={() => void start()}>
            {report ? 'Play what is missing' : "Put the runs' best models on one scale"}
          </button>
        )}
      </header>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!report ? (
        <p className="muted">
          Each run is rated on its own scale (random = 0). Here their best models play each other and the reference players, {SCALE_GAMES} games a match, and one fit rates every run's models together.
        </p>
      ) : (
        <>
          <p className="muted" role="status" aria-label={`Scale of ${name}`}>
            {report.played_matches} of {report.matches} matches played{running ? ', playing' : ''}; {report.games.toLocaleString('en')} games between the runs and the references, fitted with the runs'
            own {(report.fitGames - report.games).toLocaleString('en')}.{scale?.error ? ` Stopped: ${scale.error}` : ''}
          </p>
          <table className="experiment" aria-label={`${name} on one scale, by cell`}>
            <thead>
              <tr>
                <th>Cell</th>
                <th>Settings</th>
                <th>Best Elo on one scale, mean [95%]</th>
                <th>Runs (best iteration: Elo [95%])</th>
              </tr>
            </thead>
            <tbody>
              {cells.map((c) => {
                const runs = report.runs.filter((r) => c.runs.some((m) => m.name === r.run));
                const elos = runs.flatMap((r) => (r.elo === null ? [] : [r.elo]));
                return (
                  <tr key={c.cell}>
                    <td>{c.cell}</td>
                    <td>{c.label}</td>
                    <td>{elos.length ? intervalText(meanInterval(elos)) : '–'}</td>
                    <td>{runs.map((r) => `${r.run} (${r.best}: ${r.elo === null ? 'not rated' : `${Math.round(r.elo)} [${Math.round(r.low!)}, ${Math.round(r.high!)}]`})`).join(', ')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted">
            References: {report.references.map((r) => `${r.id} ${r.elo === null ? 'not rated' : Math.round(r.elo)}`).join(', ')}.{' '}
            {onlyReferences.length === 0
              ? `All ${report.pairs.length} pairs of runs are connected by games between their models.`
              : `${onlyReferences.length} of ${report.pairs.length} pairs of runs are connected only through the references, not by games: ${onlyReferences
                  .slice(0, 5)
                  .map((p) => `${p.a} and ${p.b}`)
                  .join(', ')}${onlyReferences.length > 5 ? ', …' : ''}.`}
          </p>
        </>
      )}
    </section>
  );
}

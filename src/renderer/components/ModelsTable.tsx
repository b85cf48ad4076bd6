import type { RunState } from '../../shared/runState';
import { duration, num, pct } from '../format';

export function ModelsTable({ run, onPromote, onRevert, busy }: { run: RunState; onPromote(iteration: number): void; onRevert(): void; busy: boolean }) {
  const evals = new Map(run.evaluations.map((e) => [e.iteration, e]));
  const best = run.best?.iteration ?? null;
  const canRevert = (run.best?.history.length ?? 0) > 1;
  return (
    <section className="card">
      <header className="card-header">
        <h3>Models</h3>
        <button type="button" onClick={onRevert} disabled={!canRevert || busy}>
          Revert to previous best
        </button>
      </header>
      <div className="table-scroll">
        <table className="grid models">
          <thead>
            <tr>
              <th>Iteration</th>
              <th>Sims</th>
              <th>Games</th>
              <th>Loss</th>
              <th>vs best</th>
              <th>vs random</th>
              <th>Time</th>
              <th>Best</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {run.iterations.map((s) => {
              const e = evals.get(s.iteration);
              const isBest = s.iteration === best;
              return (
                <tr key={s.iteration} className={isBest ? 'best-row' : undefined}>
                  <td>{s.iteration}</td>
                  <td>{s.sims}</td>
                  <td>{s.episodes}</td>
                  <td>{num(s.final_loss)}</td>
                  <td title={e?.vs_champion ? `${e.vs_champion.wins}W ${e.vs_champion.draws}D ${e.vs_champion.losses}L vs iteration ${e.vs_champion_iteration}` : undefined}>
                    {e?.vs_champion ? `${pct(e.vs_champion.score)} (${e.vs_champion.wins}-${e.vs_champion.draws}-${e.vs_champion.losses})` : '–'}
                  </td>
                  <td>{e?.vs_random ? pct(e.vs_random.win_rate) : '–'}</td>
                  <td>{duration(s.total_time)}</td>
                  <td>{isBest ? <span className="badge best">best</span> : null}</td>
                  <td>
                    <button type="button" className="small" onClick={() => onPromote(s.iteration)} disabled={isBest || busy}>
                      Promote
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function BestHistory({ run }: { run: RunState }) {
  const history = [...(run.best?.history ?? [])].reverse();
  return (
    <section className="card">
      <header className="card-header">
        <h3>Best model history</h3>
      </header>
      {history.length === 0 ? (
        <p className="empty">No best model yet.</p>
      ) : (
        <ol className="history" aria-label="Best model history">
          {history.map((h, i) => (
            <li key={i}>
              <strong>iteration {h.iteration}</strong> <span className={`badge ${h.reason}`}>{h.reason}</span> by {h.by}, {new Date(h.promoted_at).toLocaleString()}
              {h.note ? <span className="muted"> — {h.note}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

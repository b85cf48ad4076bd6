/** What the run was made with (run.json `provenance`): versions, machine, engine files and seed. */
import { memo } from 'react';
import { type Provenance, provenanceLine } from '../../shared/provenance';

export const RunRecord = memo(function RunRecord({ provenance }: { provenance: Provenance | null }) {
  return (
    <section className="card" aria-label="Run record">
      <header className="card-header">
        <h3>Run record</h3>
      </header>
      {provenance === null ? (
        <p className="empty">Made before runs recorded their versions and machine.</p>
      ) : (
        <>
          <p>{provenanceLine(provenance)}.</p>
          <details>
            <summary>Engine commands</summary>
            <ul className="history">
              {provenance.engines.map((e) => (
                <li key={e.role}>
                  <strong>{e.role}</strong>: <code>{e.command.join(' ')}</code>
                  {e.files.map((f) => (
                    <div key={f.path} className="muted">
                      {f.path}: sha256 {f.sha256.slice(0, 16)}…
                    </div>
                  ))}
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
    </section>
  );
});

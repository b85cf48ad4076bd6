/** What the run was made with (run.json `provenance`): versions, machine, each engine's version and files, and seed. */
import { memo } from 'react';
import { engineVersionLine, type Provenance, provenanceLine } from '../../shared/provenance';

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
            <summary>Engines: {[...new Set(provenance.engines.map((e) => (e.version ? engineVersionLine(e.version) : 'version not given')))].join('; ')}</summary>
            <ul className="history">
              {provenance.engines.map((e) => (
                <li key={e.role}>
                  <strong>{e.role}</strong>: <code>{e.command.join(' ')}</code>
                  {e.version ? <div>{engineVersionLine(e.version)}</div> : e.version_error ? <div className="muted">No version: {e.version_error}</div> : null}
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

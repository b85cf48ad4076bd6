/** Every change of the run's settings: who changed what, when, and from which iteration. */
import { memo } from 'react';
import { describeChanges, type ConfigChange } from '../../shared/config/changes';

export const ChangesList = memo(function ChangesList({ changes }: { changes: ConfigChange[] }) {
  return (
    <section className="card" aria-label="Changes">
      <header className="card-header">
        <h3>Changes</h3>
      </header>
      {changes.length === 0 ? (
        <p className="empty">The run has its settings from when it was created.</p>
      ) : (
        <ol className="history">
          {[...changes].reverse().map((c) => (
            <li key={`${c.time}-${c.from_iteration}`}>
              <strong>from iteration {c.from_iteration}</strong>: {describeChanges(c.changes)}{' '}
              <span className="muted">
                — by {c.by}, {new Date(c.time).toLocaleString()}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
});

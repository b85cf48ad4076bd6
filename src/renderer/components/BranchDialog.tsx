/** Branch from here: a new run starting from this iteration's model, optionally with its replay window. */
import { useEffect, useRef, useState } from 'react';
import { isRunName, RUN_NAME_RULE } from '../../shared/runName';
import { errorText } from '../format';
import { actions } from '../store';
import { Dialog } from './Dialog';

export function BranchDialog({ runName, iteration, onClose, onBranched }: { runName: string; iteration: number; onClose(): void; onBranched(name: string): void }) {
  const [name, setName] = useState(`${runName}-b${iteration}`.slice(0, 100));
  const [withReplay, setWithReplay] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.select(), []);
  const nameOk = isRunName(name);

  const branch = async () => {
    setBusy(true);
    setError(null);
    try {
      const summary = await actions.forkRun(runName, iteration, { name, with_replay: withReplay, changes: {} });
      onClose();
      onBranched(summary.name);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={
        <>
          Branch {runName} from iteration {iteration}
        </>
      }
      onClose={onClose}
    >
      <p>A new run that starts from iteration {iteration}'s model and the same settings (change them on the branch afterwards); it starts at once.</p>
      <label className="field">
        <span>Branch name</span>
        <input ref={nameRef} type="text" aria-label="Branch name" aria-invalid={!nameOk} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      {!nameOk && <p className="field-error">A run name is {RUN_NAME_RULE}.</p>}
      <label>
        <input type="checkbox" checked={withReplay} onChange={(e) => setWithReplay(e.target.checked)} /> Copy the replay window (its first iterations train on the parent's recent games)
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={() => void branch()} disabled={!nameOk || busy}>
          Branch
        </button>
      </div>
    </Dialog>
  );
}

import { useCallback, useDeferredValue, useState } from 'react';
import { GAME_LABELS } from '../../shared/games';
import { duration, pct, rate } from '../format';
import { actions, useStore } from '../store';
import { LossChart, ThroughputChart, WinRateChart } from './Charts';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog';
import { LogsPanel } from './LogsPanel';
import { BestHistory, ModelsTable } from './ModelsTable';

const PHASE = { selfplay: 'Self-play', train: 'Training', eval: 'Evaluation' } as const;

export function Dashboard({ onBack }: { onBack(): void }) {
  const open = useStore((s) => s.open);
  // Charts draw from a deferred copy: a burst of events updates the state, progress and table in
  // the next frame, and the charts catch up in interruptible background renders.
  const chartRun = useDeferredValue(open?.run ?? null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const name = open?.run.name ?? '';
  const bestIteration = open?.run.best?.iteration;
  const playsBest = open?.run.config?.selfplayModel === 'best';
  // Stable callbacks keep the memoized table from re-rendering on every event.
  const promote = useCallback(
    (iteration: number) =>
      setConfirm({
        title: `Promote iteration ${iteration}?`,
        body: `Iteration ${iteration} becomes the best model${playsBest ? ' and plays the next self-play games' : ''}. If an evaluation is running, the change waits for it to finish.`,
        confirmLabel: 'Promote',
        onConfirm: () => void actions.promote(name, iteration),
      }),
    [name, playsBest],
  );
  const revert = useCallback(
    () =>
      setConfirm({
        title: 'Revert to the previous best?',
        body: `The best model goes back to the one before iteration ${bestIteration}.`,
        confirmLabel: 'Revert',
        onConfirm: () => void actions.revert(name),
      }),
    [name, bestIteration],
  );
  if (!open) return <p className="empty">Loading…</p>;
  const { run, logsIndex, pending } = open;
  const running = run.status === 'running' || run.status === 'stopping';
  const phase = run.phase;
  const lastEval = run.evaluations[run.evaluations.length - 1];

  return (
    <div className="dashboard">
      <header className="run-header">
        <button type="button" className="link" onClick={onBack}>
          ← Runs
        </button>
        <h2>{name}</h2>
        <span className="muted">{run.config ? GAME_LABELS[run.config.game] : ''}</span>
        <span className={`badge ${run.status}`} aria-label="Run state">
          {run.status}
        </span>
        <span className="muted">
          {run.iterations.length} / {run.config?.iterations ?? '?'} iterations · best {run.best ? `iteration ${run.best.iteration}` : '–'} · vs best {pct(lastEval?.vs_champion?.score)} · vs random {pct(lastEval?.vs_random?.win_rate)}
        </span>
        <div className="toolbar right">
          {running ? (
            <button type="button" onClick={() => void actions.stop(name)} disabled={run.status === 'stopping'}>
              Stop run
            </button>
          ) : run.status !== 'completed' || run.iterations.length < (run.config?.iterations ?? 0) ? (
            <button type="button" className="primary" onClick={() => void actions.resume(name)}>
              Resume run
            </button>
          ) : null}
        </div>
      </header>

      {phase && running && (
        <section className="phase" aria-label="Current phase">
          <div className="phase-label">
            Iteration {phase.iteration}: {PHASE[phase.phase]} — {phase.done} / {phase.total} · ETA {duration(phase.eta_seconds)} · {phase.rates.games_per_sec !== undefined ? `${rate(phase.rates.games_per_sec)} games/s` : ''}
            {phase.rates.positions_per_sec !== undefined ? ` · ${rate(phase.rates.positions_per_sec)} positions/s` : ''}
            {phase.rates.samples_per_sec !== undefined ? ` · ${rate(phase.rates.samples_per_sec)} samples/s` : ''}
          </div>
          <progress max={phase.total} value={phase.done} aria-label={`${PHASE[phase.phase]} progress`} />
        </section>
      )}
      {pending && <p className="notice">{pending.action === 'promote' ? `Promotion of iteration ${pending.iteration}` : 'Revert'} waits for the running evaluation to finish…</p>}
      {run.error && run.status === 'failed' && (
        <section className="card error-card" role="alert">
          <h3>Run failed{run.error.process ? ` in ${run.error.process}` : ''}</h3>
          <pre>{run.error.message}</pre>
        </section>
      )}

      <div className="charts">
        <WinRateChart best={(chartRun ?? run).best} evaluations={(chartRun ?? run).evaluations} config={(chartRun ?? run).config} />
        <LossChart loss={(chartRun ?? run).loss} />
      </div>
      <ThroughputChart config={(chartRun ?? run).config} iterations={(chartRun ?? run).iterations} />
      <div className="two-columns">
        <ModelsTable iterations={run.iterations} evaluations={run.evaluations} best={run.best} onPromote={promote} onRevert={revert} busy={pending !== null} />
        <BestHistory best={run.best} />
      </div>
      <LogsPanel runName={name} logsIndex={logsIndex} currentIteration={run.current_iteration} />
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </div>
  );
}

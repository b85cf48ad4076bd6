import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { IterationRecords } from '../../shared/api';
import { previousBest as previousBestOf } from '../../shared/bestHistory';
import { keptIterations } from '../../shared/history';
import { bestProgress } from '../../shared/bestProgress';
import { modelPlayerId } from '../../shared/players';
import { EMPTY_FIT } from '../../shared/ratingFitter';
import { ratingDifference, type RatingFit } from '../../shared/ratings';
import { summaryLimitReached, summaryProgress } from '../../shared/runLimits';
import { runSummary } from '../../shared/runState';
import type { RunState } from '../../shared/runState';
import { duration, elo, pct, rate } from '../format';
import { actions, openRun, useStore } from '../store';
import { AccuracyChart } from './charts/AccuracyChart';
import { LossChart } from './charts/LossChart';
import { RatingChart } from './charts/RatingChart';
import { ThroughputChart } from './charts/ThroughputChart';
import { WinRateChart } from './charts/WinRateChart';
import { useStaggered } from './charts/useStaggered';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog';
import { GameViewer } from './games/GameViewer';
import { PlayDialog } from './games/PlayDialog';
import { BranchDialog } from './BranchDialog';
import { DiskLine } from './DiskLine';
import { ChangesList } from './ChangesList';
import { RunRecord } from './RunRecord';
import { HeadToHead } from './HeadToHead';
import { IterationLookup, withRecords } from './IterationLookup';
import { LogsPanel } from './LogsPanel';
import { BestHistory, ModelsTable } from './ModelsTable';
import { ChangeSettingsForm } from './NewRunForm';

const PHASE = { selfplay: 'Self-play', train: 'Training', eval: 'Evaluation' } as const;

/** What the ratings say of replacing the best model `from` by `to`, for the confirmation dialogs. */
export function ratingChangeText(fit: RatingFit, to: number, from: number | undefined): string {
  if (from === undefined) return '';
  const diff = ratingDifference(fit, modelPlayerId(to), modelPlayerId(from));
  if (!diff) return ` The ratings cannot compare iteration ${to} with iteration ${from} yet (one of them is unrated).`;
  const sign = diff.elo >= 0 ? '+' : '−';
  return ` Rating difference to iteration ${from}: ${sign}${Math.abs(Math.round(diff.elo))} Elo (95% interval ${Math.round(diff.low)} to ${Math.round(diff.high)}), ${diff.significant ? 'an interval that excludes zero' : 'an interval that includes zero: the two may be equally strong'}.`;
}

export function Dashboard({ onBack, onBranched }: { onBack(): void; onBranched(name: string): void }) {
  const open = useStore((s) => s.open);
  // Charts draw from a deferred copy: a burst of events updates the state, progress and table in
  // the next frame, and the charts catch up in interruptible background renders.
  const chartRun = useDeferredValue(open?.run ?? null);
  const [ratingRun, accuracyRun, winRateRun, lossRun, throughputRun] = useStaggered(chartRun, 5);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);
  // A start, resume or stop in flight: its button stays disabled until the call settles.
  const [acting, setActing] = useState(false);
  const act = (work: () => Promise<unknown>) => {
    setActing(true);
    void work().finally(() => setActing(false));
  };
  const [playing, setPlaying] = useState<number | null>(null);
  const [branching, setBranching] = useState<number | null>(null);
  const [editing, setEditing] = useState(false);
  const [info, setInfo] = useState<string | null>(null);
  // Iterations a long run's bounded history left out, asked for in the models table.
  const [lookedUp, setLookedUp] = useState<{ run: string; records: IterationRecords | null } | null>(null);
  const name = open?.run.name ?? '';
  const bestIteration = open?.run.best?.iteration;
  const playsBest = open?.run.config?.selfplayModel === 'best';
  // Fitted by the orchestrator (a long run's fit takes longer than a frame), pushed as ratings.fitted.
  const fit = open?.ratings ?? EMPTY_FIT;
  const records = lookedUp?.run === open?.run.name ? (lookedUp?.records ?? null) : null;
  const table = useMemo(() => withRecords(open?.run.iterations ?? [], open?.run.evaluations ?? [], fit, records), [open?.run.iterations, open?.run.evaluations, fit, records]);
  const evaluations = open?.run.evaluations;
  const omitted = open?.run.omitted;
  const progress = useMemo(() => bestProgress(evaluations ?? [], fit, omitted), [evaluations, fit, omitted]);
  const previousBest = useMemo(() => {
    const previous = previousBestOf(open?.run.best ?? null);
    return 'iteration' in previous ? previous.iteration : undefined;
  }, [open?.run.best]);
  // Stable callbacks keep the memoized table from re-rendering on every event.
  const promote = useCallback(
    (iteration: number) =>
      setConfirm({
        title: `Promote iteration ${iteration}?`,
        body: `Iteration ${iteration} becomes the best model${playsBest ? ' and plays the next self-play games' : ''}. If an evaluation is running, the change waits for it to finish.${ratingChangeText(fit, iteration, bestIteration)}`,
        confirmLabel: 'Promote',
        // Bound to the best model this dialog showed: if the gate changes it meanwhile, nothing changes.
        onConfirm: () => void actions.promote(name, iteration, bestIteration ?? null),
      }),
    [name, playsBest, fit, bestIteration],
  );
  const revert = useCallback(
    () =>
      setConfirm({
        title: 'Revert to the previous best?',
        body: `The best model goes back to ${previousBest !== undefined ? `iteration ${previousBest}, the one before iteration ${bestIteration}` : `the one before iteration ${bestIteration}`}.${previousBest !== undefined && bestIteration !== undefined ? ratingChangeText(fit, previousBest, bestIteration) : ''}`,
        confirmLabel: 'Revert',
        onConfirm: () => void actions.revert(name, bestIteration ?? null),
      }),
    [name, bestIteration, previousBest, fit],
  );
  if (!open) return <p className="empty">Loading…</p>;
  const { run, logsIndex, pending } = open;
  const running = run.status === 'running' || run.status === 'stopping';
  const lastEval = run.evaluations[run.evaluations.length - 1];
  const bestRating = run.best ? fit.players.find((p) => p.id === modelPlayerId(run.best!.iteration)) : undefined;
  const bestAccuracy = run.best ? run.evaluations.find((e) => e.iteration === run.best!.iteration)?.accuracy : undefined;
  const game = run.game;
  const unscored = game?.capabilities?.positions
    ? null
    : `Not scored: the engine declares no perfect-play position set for ${game?.label ?? run.config?.game} (capabilities.positions), so accuracy has nothing to be measured against.`;
  // Each chart draws its own staggered copy (the run itself until a copy of this run arrives).
  const chartCopy = (copy: RunState | null | undefined) => (copy && copy.name === run.name ? copy : run);
  const rating = chartCopy(ratingRun);
  const accuracy = chartCopy(accuracyRun);
  const winRate = chartCopy(winRateRun);
  const loss = chartCopy(lossRun);
  const throughput = chartCopy(throughputRun);
  // What ended a completed run; raising that limit (Change settings) is what lets it go on.
  const limit = run.config ? summaryLimitReached(run.config, runSummary(run)) : null;

  if (editing && run.config)
    return (
      <ChangeSettingsForm
        runName={name}
        current={run.config}
        onDone={(message) => {
          setEditing(false);
          setInfo(`Settings changed: ${message}.`);
          void openRun(name).catch(() => {});
        }}
        onCancel={() => setEditing(false)}
      />
    );
  return (
    <div className="dashboard">
      <header className="run-header">
        <button type="button" className="link" onClick={onBack}>
          ← Runs
        </button>
        <h2>{name}</h2>
        <span className="muted">{game?.label ?? run.config?.game ?? ''}</span>
        <span className={`badge ${run.status}`} title="Run state">
          {run.status}
        </span>
        <span className="muted">
          {summaryProgress(runSummary(run))}
          {run.status === 'completed' && limit ? ` (${limit} reached)` : ''} · best {run.best ? `iteration ${run.best.iteration}` : '–'}
          {bestRating ? ` (${elo(bestRating.elo, bestRating.elo_low, bestRating.elo_high)} Elo${bestAccuracy ? `, ${pct(bestAccuracy.rate, 1)} accurate` : ''})` : ''} · vs best{' '}
          {pct(lastEval?.vs_champion?.score)} · vs random {pct(lastEval?.vs_random?.win_rate)}
        </span>
        <div className="toolbar right">
          <button type="button" onClick={() => setEditing(true)} disabled={!run.config}>
            Change settings
          </button>
          {running ? (
            <button type="button" onClick={() => act(() => actions.stop(name))} disabled={run.status === 'stopping' || acting}>
              Stop run
            </button>
          ) : run.status !== 'completed' || !limit ? (
            <button type="button" className="primary" onClick={() => act(() => actions.resume(name))} disabled={acting}>
              Resume run
            </button>
          ) : null}
        </div>
      </header>
      <DiskLine name={name} />

      {running && run.phases.length > 0 && (
        <section className="phase" aria-label="Current phase">
          {run.phases.map((phase) => (
            <div key={phase.iteration} className="phase-row">
              <div className="phase-label">
                Iteration {phase.iteration}: {PHASE[phase.phase]} —{' '}
                {[
                  `${phase.done} / ${phase.total}`,
                  `ETA ${duration(phase.eta_seconds)}`,
                  phase.rates.games_per_sec !== undefined ? `${rate(phase.rates.games_per_sec)} games/s` : null,
                  phase.rates.positions_per_sec !== undefined ? `${rate(phase.rates.positions_per_sec)} positions/s` : null,
                  phase.rates.samples_per_sec !== undefined ? `${rate(phase.rates.samples_per_sec)} samples/s` : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </div>
              <progress max={phase.total} value={phase.done} aria-label={`Iteration ${phase.iteration} ${PHASE[phase.phase]} progress`} />
            </div>
          ))}
        </section>
      )}
      {info && (
        <p className="notice info" role="status">
          {info}{' '}
          <button type="button" className="link" onClick={() => setInfo(null)}>
            dismiss
          </button>
        </p>
      )}
      {pending && <p className="notice">{pending.action === 'promote' ? `Promotion of iteration ${pending.iteration}` : 'Revert'} waits for the running evaluation to finish…</p>}
      {run.error && run.status === 'failed' && (
        <section className="card error-card" role="alert">
          <h3>Run failed{run.error.process ? ` in ${run.error.process}` : ''}</h3>
          <pre>{run.error.message}</pre>
        </section>
      )}

      <div className="charts">
        <RatingChart best={rating.best} iterations={rating.iterations} config_changes={rating.config_changes} fit={fit} onIteration={setViewing} />
        <AccuracyChart evaluations={accuracy.evaluations} config_changes={accuracy.config_changes} onIteration={setViewing} unscored={unscored} />
        <WinRateChart best={winRate.best} evaluations={winRate.evaluations} config={winRate.config} config_changes={winRate.config_changes} onIteration={setViewing} />
        <LossChart loss={loss.loss} config_changes={loss.config_changes} />
      </div>
      <ThroughputChart config={throughput.config} iterations={throughput.iterations} config_changes={throughput.config_changes} />
      {run.omitted.iterations > 0 && (
        <IterationLookup
          runName={name}
          held={run.iterations.length}
          total={run.iterations.length + run.omitted.iterations}
          stride={keptIterations(run).stride}
          onLoaded={(found) => setLookedUp({ run: name, records: found })}
        />
      )}
      <ModelsTable
        iterations={table.iterations}
        evaluations={table.evaluations}
        best={run.best}
        fit={table.fit}
        onPromote={promote}
        onRevert={revert}
        onGames={setViewing}
        onPlay={setPlaying}
        onBranch={setBranching}
        busy={pending !== null}
      />
      <div className="two-columns">
        <HeadToHead
          runName={name}
          references={game?.capabilities?.references ?? []}
          iterations={[...(run.parent ? [0] : []), ...run.iterations.map((s) => s.iteration)]}
          bestIteration={run.best?.iteration ?? null}
          matches={open.matches}
        />
        <div className="stack">
          <BestHistory best={run.best} progress={progress} />
          <ChangesList changes={run.config_changes} />
          <RunRecord provenance={run.provenance} />
        </div>
      </div>
      <LogsPanel runName={name} logsIndex={logsIndex} currentIteration={run.current_iteration} />
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
      {viewing !== null && game && <GameViewer runName={name} game={game} iteration={viewing} onClose={() => setViewing(null)} />}
      {branching !== null && <BranchDialog runName={name} iteration={branching} onClose={() => setBranching(null)} onBranched={onBranched} />}
      {playing !== null && game && <PlayDialog runName={name} game={game} iteration={playing} defaultSims={run.config?.evalSims ?? 64} onClose={() => setPlaying(null)} />}
    </div>
  );
}

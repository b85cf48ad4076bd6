/**
 * Compare runs: rating (random = 0, so runs of a game share a scale) and
 * perfect-play accuracy of every evaluated model, by iteration or by
 * wall-clock minutes since each run was created (runs compared at equal compute).
 */
import { useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip } from 'recharts';
import { experimentCells, type RatedRun } from '../../shared/experiments/report';
import { accuracySeries, type Axis, type Point, ratingSeries } from '../../shared/experiments/series';
import { fromPortable } from '../../shared/ratingFitter';
import type { RunSummary } from '../../shared/stats';
import { errorText, pct } from '../format';
import { actions, loadRuns, useStore } from '../store';
import type { ExperimentStatus } from '../../shared/experiments/plan';
import { type CellSeries, cellCurves, curvesCsv } from '../../shared/experiments/curves';
import { compareXAxis, compareXLabel, compareYAxis, seriesColor } from './compareAxes';
import { ExperimentChart } from './ExperimentChart';
import { ExperimentScale } from './ExperimentScale';
import { gridKeys, ParallelCoordinates } from './ParallelCoordinates';
import { csvHref, ExperimentTable } from './ExperimentTable';

function CompareChart({ label, series, axis, percent }: { label: string; series: { name: string; points: Point[] }[]; axis: Axis; percent: boolean }) {
  return (
    <figure role="img" aria-label={`${label}, compared`} className="chart">
      <figcaption>{label}</figcaption>
      <div style={{ width: '100%', height: 300 }}>
        <ResponsiveContainer width="100%" height="100%" minWidth={200}>
          <LineChart margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            {compareXAxis(axis)}
            {compareYAxis(percent)}
            <Tooltip formatter={(v) => (percent ? pct(v as number, 1) : `${Math.round(v as number)} Elo`)} labelFormatter={compareXLabel(axis)} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {series.map((s, i) => (
              <Line key={s.name} name={s.name} data={s.points} dataKey="y" stroke={seriesColor(i)} strokeWidth={2} dot={false} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** While an experiment runs, the view reloads its runs this often. */
const POLL_MS = 2_000;

export function Compare({ onBack, experiment = null }: { onBack(): void; experiment?: string | null }) {
  const runs = useStore((s) => s.runs);
  const [selected, setSelected] = useState<string[]>([]);
  // The experiment whose runs the view follows (its runs are selected as they are created).
  const [following, setFollowing] = useState<string | null>(experiment);
  const [statuses, setStatuses] = useState<ExperimentStatus[]>([]);
  const [axis, setAxis] = useState<Axis>('iteration');
  const [loaded, setLoaded] = useState<Record<string, RatedRun>>({});
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load when Retry is clicked
  useEffect(() => {
    loadRuns().then(
      () => setError(null),
      (e) => setError(errorText(e)),
    );
  }, [attempt]);
  // Experiments and runs as they go: while one runs, its runs and their progress are reloaded.
  const anyRunning = statuses.some((s) => s.running);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load when Retry is clicked
  useEffect(() => {
    let live = true;
    const poll = () =>
      actions.listExperiments().then(
        (all) => live && setStatuses(all),
        () => {},
      );
    void poll();
    if (!anyRunning) return;
    const timer = setInterval(() => {
      void poll();
      void loadRuns().catch(() => {});
    }, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [anyRunning, attempt]);
  useEffect(() => {
    if (following) setSelected(runs.filter((r) => r.experiment?.name === following).map((r) => r.name));
  }, [following, runs]);
  useEffect(() => {
    for (const name of selected) {
      const summary = runs.find((r) => r.name === name);
      const have = loaded[name];
      // Loaded once, and again whenever the runs list says the run has moved on.
      if (have && (!summary || have.state.updated_at >= summary.updated_at)) continue;
      actions.getRun(name).then(
        (s) => setLoaded((all) => ({ ...all, [name]: { state: s.state, fit: fromPortable(s.ratings) } })),
        (e) => setError(errorText(e)),
      );
    }
  }, [selected, loaded, runs]);
  const chosen = useMemo(() => selected.filter((n) => loaded[n]), [selected, loaded]);
  const rating = useMemo(() => chosen.map((n) => ({ name: n, points: ratingSeries(loaded[n]!, axis) })), [chosen, loaded, axis]);
  const accuracy = useMemo(() => chosen.map((n) => ({ name: n, points: accuracySeries(loaded[n]!.state, axis) })).filter((s) => s.points.length), [chosen, loaded, axis]);
  const experiments = useMemo(() => [...new Set([...statuses.map((s) => s.name), ...runs.flatMap((r) => (r.experiment ? [r.experiment.name] : []))])].sort(), [runs, statuses]);
  const chosenExperiments = experiments.filter((e) => e === following || runs.some((r) => r.experiment?.name === e && chosen.includes(r.name)));

  return (
    <section className="panel">
      <header className="panel-header">
        <button type="button" className="link" onClick={onBack}>
          ← Runs
        </button>
        <h2>Compare runs</h2>
        <div className="toolbar right">
          <label>
            X axis{' '}
            <select value={axis} onChange={(e) => setAxis(e.target.value as Axis)}>
              <option value="iteration">iteration</option>
              <option value="minutes">wall-clock minutes</option>
            </select>
          </label>
        </div>
      </header>
      {error && (
        <p role="alert" className="error">
          Could not load the runs: {error}{' '}
          <button type="button" className="small" onClick={() => setAttempt((n) => n + 1)}>
            Retry
          </button>
        </p>
      )}
      {experiments.length > 0 && (
        <div className="toolbar">
          {experiments.map((e) => (
            <button key={e} type="button" onClick={() => setFollowing(e)}>
              Experiment {e}
            </button>
          ))}
        </div>
      )}
      <fieldset className="run-picker">
        <legend>Runs</legend>
        {runs.length === 0 && !error && <span className="muted">No runs yet.</span>}
        {runs.map((r) => (
          <label key={r.name}>
            <input
              type="checkbox"
              checked={selected.includes(r.name)}
              onChange={(e) => {
                setFollowing(null);
                setSelected((s) => (e.target.checked ? [...s, r.name] : s.filter((n) => n !== r.name)));
              }}
            />{' '}
            {r.name} <span className="muted">({r.game})</span>
          </label>
        ))}
      </fieldset>
      {chosenExperiments.map((e) => (
        <ExperimentView
          key={e}
          name={e}
          status={statuses.find((s) => s.name === e) ?? null}
          runs={runs}
          loaded={loaded}
          axis={axis}
          onChanged={(status) => setStatuses((all) => [...all.filter((s) => s.name !== e), status])}
        />
      ))}
      {chosen.length === 0 ? (
        <p className="empty">Choose runs above to compare their rating and their accuracy against perfect play, by iteration or by wall-clock time.</p>
      ) : (
        <div className="charts">
          <CompareChart label="Rating (Elo, random = 0)" series={rating} axis={axis} percent={false} />
          {accuracy.length > 0 ? (
            <CompareChart label="Accuracy vs perfect play" series={accuracy} axis={axis} percent />
          ) : (
            <p className="empty">The chosen runs have no accuracy scores (their game has no solver, or they predate accuracy).</p>
          )}
        </div>
      )}
    </section>
  );
}

/** One experiment: where its queue stands, Stop and Resume, its table and its cells over time. */
function ExperimentView({
  name,
  status,
  runs,
  loaded,
  axis,
  onChanged,
}: {
  name: string;
  status: ExperimentStatus | null;
  runs: readonly RunSummary[];
  loaded: Readonly<Record<string, RatedRun>>;
  axis: Axis;
  onChanged(status: ExperimentStatus): void;
}) {
  const [busy, setBusy] = useState(false);
  const act = (work: () => Promise<ExperimentStatus | undefined>) => {
    setBusy(true);
    void work()
      .then((s) => s && onChanged(s))
      .finally(() => setBusy(false));
  };
  const cells = experimentCells(runs, name);
  const members = cells.flatMap((c) => c.runs);
  const series = (measure: (run: RatedRun) => Point[]): CellSeries[] =>
    cells.map((c) => ({ cell: c.cell, label: c.label, runs: c.runs.flatMap((r) => (loaded[r.name] ? [measure(loaded[r.name]!)] : [])) }));
  const rating = series((run) => ratingSeries(run, axis));
  const accuracy = series((run) => accuracySeries(run.state, axis));
  return (
    <>
      {status && (
        <div className="toolbar">
          <span role="status" aria-label={`Progress of ${name}`}>
            Experiment {name}: {status.done} of {status.runs} runs done ({status.cells} cells x {status.seeds} seeds, {status.parallel} at a time, {status.compute}){status.running ? ', running' : ''}
          </span>
          {status.running ? (
            <button type="button" disabled={busy} onClick={() => act(() => actions.stopExperiment(name))}>
              Stop experiment
            </button>
          ) : status.done < status.runs ? (
            <button type="button" className="primary" disabled={busy} onClick={() => act(() => actions.resumeExperiment(name))}>
              Resume experiment
            </button>
          ) : null}
        </div>
      )}
      {status && status.failed.length > 0 && (
        <p role="alert" aria-label={`Failed runs of ${name}`} className="error">
          {status.failed.length === 1 ? '1 run failed' : `${status.failed.length} runs failed`}; the others go on: {status.failed.map((f) => `${f.run} (${f.message.replace(/\.$/, '')})`).join('; ')}.
        </p>
      )}
      <ExperimentTable name={name} runs={runs} loaded={loaded} />
      <ExperimentScale name={name} cells={cells} complete={status !== null && !status.running && status.done === status.runs} />
      {cells.length > 0 && (
        <a className="button small" download={`${name}-curves.csv`} href={csvHref(curvesCsv({ rating: cellCurves(rating), accuracy: cellCurves(accuracy, [0, 1]) }))}>
          Curves as CSV
        </a>
      )}
      {members.length > 0 && gridKeys(members[0]!.experiment!).length >= 2 && (
        <ParallelCoordinates name={name} runs={members.flatMap((r) => (loaded[r.name] ? [{ run: r.name, experiment: r.experiment!, rated: loaded[r.name]! }] : []))} />
      )}
      {cells.length > 0 && (
        <div className="charts">
          <ExperimentChart label={`${name}: rating (Elo, each run's scale)`} cells={rating} axis={axis} percent={false} />
          {accuracy.some((c) => c.runs.some((r) => r.length)) && <ExperimentChart label={`${name}: accuracy vs perfect play`} cells={accuracy} axis={axis} percent />}
        </div>
      )}
    </>
  );
}

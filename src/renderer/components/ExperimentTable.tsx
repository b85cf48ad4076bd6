/** An experiment's cells compared with its base (shared/experiments/report.ts), from the runs loaded for Compare. */
import { cellReports, experimentCells, intervalText, type RatedRun, reportCsv, runFinalOf, vsBaseText } from '../../shared/experiments/report';
import type { RunSummary } from '../../shared/stats';

/** A link target that downloads `csv` (the page's own data: no request, nothing kept). */
export const csvHref = (csv: string) => `data:text/csv;charset=utf-8,${encodeURIComponent(`${csv}\n`)}`;

export function ExperimentTable({ name, runs, loaded }: { name: string; runs: readonly RunSummary[]; loaded: Readonly<Record<string, RatedRun>> }) {
  const reports = cellReports(
    experimentCells(runs, name).map((c) => ({
      index: c.cell,
      label: c.label,
      seeds: c.runs.length,
      finals: c.runs.flatMap((r) => (loaded[r.name] ? [runFinalOf(r.name, loaded[r.name]!)] : [])),
    })),
  );
  return (
    <section className="card" aria-label={`Experiment ${name}`}>
      <header className="card-header">
        <h3>Experiment {name}</h3>
        <a className="button small" download={`${name}-table.csv`} href={csvHref(reportCsv(reports))}>
          Table as CSV
        </a>
      </header>
      <table className="experiment" aria-label={`Cells of ${name}`}>
        <thead>
          <tr>
            <th>Cell</th>
            <th>Settings</th>
            <th>Runs</th>
            <th>Best Elo, mean [95%]</th>
            <th>Accuracy</th>
            <th>Promotions</th>
            <th>Elo vs base [95%]</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((c) => (
            <tr key={c.cell}>
              <td>{c.cell}</td>
              <td>{c.label}</td>
              <td>
                {c.runs}/{c.seeds}
              </td>
              <td>{intervalText(c.elo)}</td>
              <td>{c.accuracy ? `${intervalText(c.accuracy, 1)}%` : '–'}</td>
              <td>{intervalText(c.promotions, 1)}</td>
              <td className={c.vsBase?.significant ? 'significant' : undefined}>{vsBaseText(c)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Ratings are on each run's own scale, anchored at random = 0; intervals are 95% across seeds (Student's t; Welch's for the difference).</p>
    </section>
  );
}

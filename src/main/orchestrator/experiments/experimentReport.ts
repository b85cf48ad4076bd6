/** An experiment's table (shared/experiments/report.ts) from its runs' journals, as text or CSV. */
import { existsSync } from 'node:fs';
import { type CellCurve, type CellSeries, cellCurves } from '../../../shared/experiments/curves';
import { type CellReport, cellReports, intervalText, type RatedRun, type RunFinal, runFinalOf, vsBaseText } from '../../../shared/experiments/report';
import { accuracySeries, type Point, ratingSeries } from '../../../shared/experiments/series';
import { foldRunEvents } from '../../../shared/runState';
import { fitRunRatings } from '../../../shared/runRatings';
import { readJournal } from '../state/journal';
import { RunPaths } from '../state/runPaths';
import type { ExperimentPlan } from '../../../shared/experiments/plan';

/** A run's state and rating fit, or null for a run not started. Read, never written: a report may run beside the experiment. */
async function ratedRun(runsDir: string, name: string): Promise<RatedRun | null> {
  const paths = new RunPaths(runsDir, name);
  if (!existsSync(paths.events)) return null;
  const state = foldRunEvents(name, (await readJournal(paths.events)).events);
  return { state, fit: fitRunRatings(state.rated) };
}

export interface ExperimentReport {
  cells: CellReport[];
  runs: RunFinal[];
  /** Each cell's mean and 95% interval across seeds by iteration: rating (each run's scale) and accuracy. */
  curves: { rating: CellCurve[]; accuracy: CellCurve[] };
}

export async function experimentReport(plan: ExperimentPlan): Promise<ExperimentReport> {
  const groups: { index: number; label: string; seeds: number; finals: RunFinal[]; runs: RatedRun[] }[] = [];
  for (const cell of plan.cells) {
    const runs: RatedRun[] = [];
    const finals: RunFinal[] = [];
    for (const run of cell.runs) {
      const rated = await ratedRun(run.config.runsDir, run.name);
      if (!rated) continue;
      runs.push(rated);
      finals.push(runFinalOf(run.name, rated));
    }
    groups.push({ index: cell.index, label: cell.label, seeds: cell.runs.length, finals, runs });
  }
  const series = (measure: (run: RatedRun) => Point[]): CellSeries[] => groups.map((g) => ({ cell: g.index, label: g.label, runs: g.runs.map(measure) }));
  return {
    cells: cellReports(groups),
    runs: groups.flatMap((g) => g.finals),
    curves: {
      rating: cellCurves(series((run) => ratingSeries(run, 'iteration'))),
      accuracy: cellCurves(
        series((run) => accuracySeries(run.state, 'iteration')),
        [0, 1],
      ),
    },
  };
}

/** The table as text for a terminal. */
export function reportText(plan: ExperimentPlan, cells: CellReport[]): string {
  const rows = cells.map((c) => [
    String(c.cell),
    c.label,
    `${c.runs}/${c.seeds}`,
    intervalText(c.elo),
    c.accuracy ? `${intervalText(c.accuracy, 1)}%` : '–',
    intervalText(c.promotions, 1),
    vsBaseText(c),
  ]);
  const head = ['cell', 'settings', 'runs', 'best Elo, mean [95%]', 'accuracy', 'promotions', 'Elo vs base [95%]'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [`experiment "${plan.name}": ${plan.cells.length} cells x ${plan.seeds} seeds, ${plan.compute}; Elo on each run's own scale (random = 0)`, line(head), ...rows.map(line)].join('\n');
}

/** An experiment's table (shared/experiments/report.ts) from its runs' journals, as text or CSV. */
import { existsSync } from 'node:fs';
import { type CellReport, cellReports, intervalText, type RunFinal, runFinalOf, vsBaseText } from '../../../shared/experiments/report';
import { foldRunEvents } from '../../../shared/runState';
import { fitRunRatings } from '../../../shared/runRatings';
import { readJournal } from '../state/journal';
import { RunPaths } from '../state/runPaths';
import type { ExperimentPlan } from '../../../shared/experiments/plan';

/** A run's final figures, or null for a run not started. Read, never written: a report may run beside the experiment. */
export async function runFinal(runsDir: string, name: string): Promise<RunFinal | null> {
  const paths = new RunPaths(runsDir, name);
  if (!existsSync(paths.events)) return null;
  const state = foldRunEvents(name, (await readJournal(paths.events)).events);
  return runFinalOf(name, { state, fit: fitRunRatings(state.rated) });
}

export async function experimentReport(plan: ExperimentPlan): Promise<{ cells: CellReport[]; runs: RunFinal[] }> {
  const groups: { index: number; label: string; seeds: number; finals: RunFinal[] }[] = [];
  for (const cell of plan.cells) {
    const finals: RunFinal[] = [];
    for (const run of cell.runs) {
      const final = await runFinal(run.config.runsDir, run.name);
      if (final) finals.push(final);
    }
    groups.push({ index: cell.index, label: cell.label, seeds: cell.runs.length, finals });
  }
  return { cells: cellReports(groups), runs: groups.flatMap((g) => g.finals) };
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

/** The table as CSV, one row per cell. */
export function reportCsv(cells: CellReport[]): string {
  const head = 'cell,settings,runs,elo_mean,elo_low,elo_high,accuracy_mean,accuracy_low,accuracy_high,promotions_mean,vs_base_elo,vs_base_low,vs_base_high,vs_base_significant';
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const n = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '' : String(Math.round(x * 100) / 100));
  return [
    head,
    ...cells.map((c) =>
      [
        c.cell,
        q(c.label),
        c.runs,
        n(c.elo.mean),
        n(c.elo.low),
        n(c.elo.high),
        n(c.accuracy?.mean),
        n(c.accuracy?.low),
        n(c.accuracy?.high),
        n(c.promotions.mean),
        n(c.vsBase?.difference),
        n(c.vsBase?.low),
        n(c.vsBase?.high),
        c.vsBase ? String(c.vsBase.significant) : '',
      ].join(','),
    ),
  ].join('\n');
}

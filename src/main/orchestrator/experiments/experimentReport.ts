/**
 * An experiment's table: per cell, the mean and 95% interval across seeds of the final strength
 * (the best model's rating on its run's own scale, random = 0), of the best model's accuracy
 * against perfect play where the game has a position set, and of the gate's promotions; and each
 * cell's difference from the base cell in rating, with its interval and whether it is more than
 * seed noise. Ratings of different runs share only their anchor (random = 0); docs/cli.md says so.
 */
import { existsSync } from 'node:fs';
import { bestProgress } from '../../../shared/bestProgress';
import { differenceInterval, type DifferenceInterval, type MeanInterval, meanInterval } from '../../../shared/experiments/intervals';
import { modelPlayerId } from '../../../shared/players';
import { ratingOf } from '../../../shared/ratings';
import { fitRunRatings } from '../../../shared/runRatings';
import { foldRunEvents } from '../../../shared/runState';
import { readJournal } from '../state/journal';
import { RunPaths } from '../state/runPaths';
import type { ExperimentPlan } from './experimentPlan';

export interface CellReport {
  cell: number;
  label: string;
  /** Runs with a rated best model, of the cell's seeds. */
  runs: number;
  seeds: number;
  elo: MeanInterval;
  accuracy: MeanInterval | null;
  promotions: MeanInterval;
  iterations: MeanInterval;
  /** Against the base cell (null for the base, or with fewer than two runs on either side). */
  vsBase: DifferenceInterval | null;
}

export interface RunFinal {
  name: string;
  elo: number | null;
  accuracy: number | null;
  promotions: number;
  iterations: number;
}

export async function runFinal(runsDir: string, name: string): Promise<RunFinal | null> {
  const paths = new RunPaths(runsDir, name);
  if (!existsSync(paths.events)) return null;
  // Read, never written: a report may run beside the experiment.
  const state = foldRunEvents(name, (await readJournal(paths.events)).events);
  const best = state.best?.iteration;
  const fit = fitRunRatings(state.rated);
  const elo = best !== undefined ? (ratingOf(fit, modelPlayerId(best))?.elo ?? null) : null;
  const accuracy = best !== undefined ? (state.evaluations.find((e) => e.iteration === best)?.accuracy?.rate ?? null) : null;
  return { name, elo, accuracy, promotions: bestProgress(state.evaluations, fit).promotions, iterations: state.iterations.length };
}

export async function experimentReport(plan: ExperimentPlan): Promise<{ cells: CellReport[]; runs: RunFinal[] }> {
  const runs: RunFinal[] = [];
  const byCell: RunFinal[][] = [];
  for (const cell of plan.cells) {
    const finals: RunFinal[] = [];
    for (const run of cell.runs) {
      const final = await runFinal(run.config.runsDir, run.name);
      if (final) finals.push(final);
    }
    runs.push(...finals);
    byCell.push(finals);
  }
  const elos = (finals: RunFinal[]) => finals.flatMap((f) => (f.elo === null ? [] : [f.elo]));
  const cells = plan.cells.map((cell, i): CellReport => {
    const finals = byCell[i]!;
    const accuracies = finals.flatMap((f) => (f.accuracy === null ? [] : [f.accuracy * 100]));
    return {
      cell: cell.index,
      label: cell.label,
      runs: elos(finals).length,
      seeds: cell.runs.length,
      elo: meanInterval(elos(finals)),
      accuracy: accuracies.length ? meanInterval(accuracies) : null,
      promotions: meanInterval(finals.map((f) => f.promotions)),
      iterations: meanInterval(finals.map((f) => f.iterations)),
      vsBase: i === 0 ? null : differenceInterval(elos(finals), elos(byCell[0]!)),
    };
  });
  return { cells, runs };
}

const num = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const interval = (m: MeanInterval, digits = 0) => (Number.isFinite(m.low) ? `${num(m.mean, digits)} [${num(m.low, digits)}, ${num(m.high, digits)}]` : num(m.mean, digits));

/** The table as text for a terminal. */
export function reportText(plan: ExperimentPlan, cells: CellReport[]): string {
  const rows = cells.map((c) => [
    String(c.cell),
    c.label,
    `${c.runs}/${c.seeds}`,
    interval(c.elo),
    c.accuracy ? `${interval(c.accuracy, 1)}%` : '–',
    interval(c.promotions, 1),
    c.cell === 1
      ? 'base'
      : c.vsBase
        ? `${c.vsBase.difference >= 0 ? '+' : ''}${num(c.vsBase.difference)} [${num(c.vsBase.low)}, ${num(c.vsBase.high)}] ${c.vsBase.significant ? 'more than seed noise' : 'within seed noise'}`
        : 'needs 2 runs a side',
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

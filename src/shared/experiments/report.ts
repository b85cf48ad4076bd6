/**
 * An experiment's table from its runs' states: per cell, the mean and 95% interval across seeds of
 * the final strength (the best model's rating on its run's own scale, random = 0), of the best
 * model's accuracy against perfect play where the game has a position set, and of the gate's
 * promotions; and each cell's rating difference from the base cell (cell 1), with its interval and
 * whether it is more than seed noise. The CLI and the panel's Compare view both use it.
 */
import { bestProgress } from '../bestProgress';
import { modelPlayerId } from '../players';
import { type RatingFit, ratingOf } from '../ratings';
import type { RunState } from '../runState';
import type { RunSummary } from '../stats';
import { differenceInterval, type DifferenceInterval, type MeanInterval, meanInterval, withinBounds } from './intervals';

export interface RunFinal {
  name: string;
  elo: number | null;
  accuracy: number | null;
  promotions: number;
  iterations: number;
}

export interface CellReport {
  cell: number;
  label: string;
  /** Runs with a rated best model, of the cell's seeds. */
  runs: number;
  seeds: number;
  elo: MeanInterval;
  /** Percent. */
  accuracy: MeanInterval | null;
  promotions: MeanInterval;
  /** Against the base cell (null for the base, or with fewer than two runs on either side). */
  vsBase: DifferenceInterval | null;
}

/** A run of an experiment: its state (whole, or a window's bounded history) and the fit of its ratings. */
export interface RatedRun {
  state: RunState;
  fit: RatingFit;
}

export function runFinalOf(name: string, { state, fit }: RatedRun): RunFinal {
  const best = state.best?.iteration;
  const elo = best !== undefined ? (ratingOf(fit, modelPlayerId(best))?.elo ?? null) : null;
  const accuracy = best !== undefined ? (state.evaluations.find((e) => e.iteration === best)?.accuracy?.rate ?? null) : null;
  return { name, elo, accuracy, promotions: bestProgress(state.evaluations, fit, state.omitted).promotions, iterations: state.iterations.length + state.omitted.iterations };
}

/** An experiment's runs of a runs list, grouped by cell in cell order (the panel's table, charts and scale). */
export function experimentCells<R extends Pick<RunSummary, 'name' | 'experiment'>>(runs: readonly R[], name: string): { cell: number; label: string; runs: R[] }[] {
  const members = runs.filter((r) => r.experiment?.name === name);
  return [...new Set(members.map((r) => r.experiment!.cell))]
    .sort((a, b) => a - b)
    .map((cell) => {
      const ofCell = members.filter((r) => r.experiment!.cell === cell);
      return { cell, label: ofCell[0]!.experiment!.label, runs: ofCell };
    });
}

/** `cells` in cell order, the base first. */
export function cellReports(cells: readonly { index: number; label: string; seeds: number; finals: readonly RunFinal[] }[]): CellReport[] {
  const elos = (finals: readonly RunFinal[]) => finals.flatMap((f) => (f.elo === null ? [] : [f.elo]));
  const base = cells.find((c) => c.index === 1);
  return cells.map((cell): CellReport => {
    const accuracies = cell.finals.flatMap((f) => (f.accuracy === null ? [] : [f.accuracy * 100]));
    return {
      cell: cell.index,
      label: cell.label,
      runs: elos(cell.finals).length,
      seeds: cell.seeds,
      elo: meanInterval(elos(cell.finals)),
      accuracy: accuracies.length ? withinBounds(meanInterval(accuracies), 0, 100) : null,
      promotions: withinBounds(meanInterval(cell.finals.map((f) => f.promotions)), 0, Number.POSITIVE_INFINITY),
      vsBase: cell.index === 1 || !base ? null : differenceInterval(elos(cell.finals), elos(base.finals)),
    };
  });
}

const num = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** "512 [430, 594]", or the mean alone where one run gives no interval. */
export function intervalText(m: MeanInterval, digits = 0): string {
  return Number.isFinite(m.low) ? `${num(m.mean, digits)} [${num(m.low, digits)}, ${num(m.high, digits)}]` : num(m.mean, digits);
}

/** The cell against the base: "+34 [-20, 88] within seed noise". */
export function vsBaseText(c: CellReport): string {
  if (c.cell === 1) return 'base';
  if (!c.vsBase) return 'needs 2 runs a side';
  const d = c.vsBase;
  return `${d.difference >= 0 ? '+' : ''}${num(d.difference)} [${num(d.low)}, ${num(d.high)}] ${d.significant ? 'more than seed noise' : 'within seed noise'}`;
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

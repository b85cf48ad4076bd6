/**
 * An experiment: a base configuration, a grid of settings (a list of values each) and a number of
 * seeds, read from TOML. Each cell of the grid is run once per seed, every cell with the same
 * seeds and the same compute (the base's time budget, or its iteration target where it has none).
 * The first value of each setting is the base cell, the one the others are compared against.
 * Everything is checked before any run starts, and a problem names the cell and the field. Pure:
 * the CLI reads it from a TOML file, the panel's form previews it as it is typed.
 *
 *   name = "lr"          seeds = 3          parallel = 1       budgetHours = 4 (optional)
 *   [base]               game = "connect4"  timeBudgetMinutes = 30
 *   [grid]               learningRate = [0.002, 0.001]
 */
import { FIELD_BY_KEY, type LoopConfig, type LoopConfigInput, type LoopConfigKey } from '../config/fields';
import { validateConfig } from '../config/validate';
import { isRunName, RUN_NAME_RULE } from '../runName';

export interface ExperimentRun {
  name: string;
  /** 1-based. */
  seedIndex: number;
  config: LoopConfig;
}

export interface ExperimentCell {
  /** 1-based; cell 1 is the base. */
  index: number;
  /** The grid's settings of this cell: "learningRate 0.001, replayWindow 4". */
  label: string;
  settings: Partial<Record<LoopConfigKey, unknown>>;
  runs: ExperimentRun[];
}

export interface ExperimentPlan {
  name: string;
  seeds: number;
  /** Runs at a time: `parallel` on this machine, every run at once on Slurm (executor = "slurm": the cluster queues them). */
  parallel: number;
  grid: { key: LoopConfigKey; values: unknown[] }[];
  cells: ExperimentCell[];
  /** "equal time: 30 minutes a run" or "equal iterations: 12 a run". */
  compute: string;
}

export class ExperimentError extends Error {}

/** An experiment as written: the TOML file's table, or the panel's form. */
export interface ExperimentSpec {
  name: string;
  seeds?: number;
  parallel?: number;
  budgetHours?: number;
  base?: LoopConfigInput;
  /** Each setting's values, the base's first. */
  grid?: Record<string, unknown[]>;
}

/** An experiment as the panel lists it. */
export interface ExperimentStatus {
  name: string;
  cells: number;
  seeds: number;
  runs: number;
  parallel: number;
  compute: string;
  /** Minutes of machine time its runs ask for (runs x each run's time budget), or null without a time budget. */
  machine_minutes: number | null;
  /** Runs at their limit. */
  done: number;
  /** Whether this server is working through its queue. */
  running: boolean;
  /** Runs that failed, or that the queue could not start or resume, with why; the others go on. */
  failed: { run: string; message: string }[];
}

/** What a plan asks for: runs, and machine minutes where each run has a time budget. */
export function planCost(plan: ExperimentPlan): { runs: number; machineMinutes: number | null; wallMinutes: number | null } {
  const runs = plan.cells.length * plan.seeds;
  const budget = plan.cells[0]!.runs[0]!.config.timeBudgetMinutes;
  const machineMinutes = budget > 0 ? runs * budget : null;
  return { runs, machineMinutes, wallMinutes: machineMinutes === null ? null : machineMinutes / Math.min(plan.parallel, runs) };
}

/** Settings a grid may not vary: the run's identity, its seed (the experiment's), its game, and its compute (equal for all). */
const NOT_IN_GRID: Partial<Record<LoopConfigKey, string>> = {
  seed: 'the experiment gives each run its seed (seeds = N)',
  timeBudgetMinutes: 'every cell gets the same compute; set it in [base]',
  iterations: 'every cell gets the same compute; set it in [base]',
};
const MAX_RUNS = 500;

export function experimentPlan(table: Record<string, unknown>, runsDir: string, source = 'the experiment'): ExperimentPlan {
  const fail = (message: string): never => {
    throw new ExperimentError(`${source}: ${message}`);
  };
  const unknown = Object.keys(table).filter((k) => !['name', 'seeds', 'parallel', 'budgetHours', 'base', 'grid'].includes(k));
  if (unknown.length) fail(`"${unknown[0]}" is not an experiment key; the keys are name, seeds, parallel, budgetHours, [base] and [grid]`);
  const name = table.name;
  if (!isRunName(name)) fail(`name must be ${RUN_NAME_RULE} (got ${JSON.stringify(name)}); it prefixes every run's name`);
  const seeds = table.seeds ?? 2;
  if (!Number.isInteger(seeds) || (seeds as number) < 1 || (seeds as number) > 100) fail(`seeds must be a whole number from 1 to 100 (got ${JSON.stringify(seeds)})`);
  const parallel = table.parallel ?? 1;
  if (!Number.isInteger(parallel) || (parallel as number) < 1 || (parallel as number) > 64) fail(`parallel must be a whole number from 1 to 64 (got ${JSON.stringify(parallel)})`);
  const base = (table.base ?? {}) as Record<string, unknown>;
  const gridTable = (table.grid ?? {}) as Record<string, unknown>;
  if (typeof base !== 'object' || Array.isArray(base)) fail('[base] must be a table of settings');
  if (typeof gridTable !== 'object' || Array.isArray(gridTable)) fail('[grid] must be a table: setting = [values]');

  const grid: ExperimentPlan['grid'] = [];
  for (const [key, values] of Object.entries(gridTable)) {
    if (!(key in FIELD_BY_KEY)) fail(`[grid] ${key} is not a setting; check its spelling (settings use camelCase, e.g. learningRate)`);
    const spec = FIELD_BY_KEY[key as LoopConfigKey];
    const why = NOT_IN_GRID[key as LoopConfigKey] ?? spec.fixed;
    if (why) fail(`[grid] ${key} cannot vary across cells: ${why}`);
    if (!Array.isArray(values) || values.length === 0) fail(`[grid] ${key} must be a list of values, the base's first (e.g. ${key} = [1, 2])`);
    grid.push({ key: key as LoopConfigKey, values: values as unknown[] });
  }
  for (const key of ['name', 'runsDir'] as const) if (key in base) fail(`[base] ${key} is set by the experiment; leave it out`);

  const combos = grid.reduce<Partial<Record<LoopConfigKey, unknown>>[]>((acc, { key, values }) => acc.flatMap((c) => values.map((v) => ({ ...c, [key]: v }))), [{}]);
  const runCount = combos.length * (seeds as number);
  if (runCount > MAX_RUNS) fail(`${combos.length} cells x ${seeds} seeds are ${runCount} runs, more than ${MAX_RUNS}; shorten the grid's lists or the seeds`);

  const baseSeed = typeof base.seed === 'number' ? base.seed : 1;
  const cells = combos.map((settings, i): ExperimentCell => {
    const label = Object.entries(settings)
      .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
      .join(', ');
    const runs = Array.from({ length: seeds as number }, (_, s): ExperimentRun => {
      const runName = `${name}-c${i + 1}-s${s + 1}`;
      const checked = validateConfig({ ...(base as LoopConfigInput), ...settings, seed: baseSeed + s, name: runName, runsDir });
      if (!checked.ok) fail(`cell ${i + 1} (${label || 'the base'}): ${checked.errors.map((e) => e.message).join('; ')}`);
      return { name: runName, seedIndex: s + 1, config: (checked as { config: LoopConfig }).config };
    });
    return { index: i + 1, label: label || 'the base', settings, runs };
  });
  const first = cells[0]!.runs[0]!.config;
  // On Slurm every run is submitted at once and the cluster queues them; here, `parallel` at a time.
  const atOnce = first.executor === 'slurm' ? runCount : (parallel as number);
  const compute = first.timeBudgetMinutes > 0 ? `equal time: ${first.timeBudgetMinutes} minutes a run` : `equal iterations: ${first.iterations} a run`;
  const budget = table.budgetHours;
  if (budget !== undefined) {
    if (typeof budget !== 'number' || !(budget > 0)) fail(`budgetHours must be a positive number of hours (got ${JSON.stringify(budget)})`);
    if (!(first.timeBudgetMinutes > 0)) fail('budgetHours needs a time budget per run to check against: set timeBudgetMinutes in [base]');
    const hours = (runCount * first.timeBudgetMinutes) / 60 / atOnce;
    if (hours > (budget as number))
      fail(
        `${runCount} runs of ${first.timeBudgetMinutes} minutes, ${atOnce} at a time, take ${hours.toFixed(1)} hours, more than budgetHours ${budget}; fewer cells or seeds, shorter runs or more at a time`,
      );
  }
  return { name: name as string, seeds: seeds as number, parallel: atOnce, grid, cells, compute };
}

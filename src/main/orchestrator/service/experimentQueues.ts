/**
 * The experiments a server works through: each queues its runs `parallel` at a time (a run at its
 * limit is kept, a stopped one resumed, a missing one created), can be stopped (the running runs stop
 * gracefully, the rest stay queued) and resumed, and is extended by starting it again with more
 * seeds. The spec is kept in the runs folder, so an experiment started by the CLI resumes here too.
 */
import { ApiError } from '../../../shared/api';
import { type ExperimentPlan, type ExperimentSpec, type ExperimentStatus, ExperimentError, experimentPlan, planCost } from '../../../shared/experiments/plan';
import type { RunSummary } from '../../../shared/stats';
import { experimentQueue } from '../experiments/experimentRunner';
import { loadExperiment, saveExperiment, savedExperiments } from '../experiments/experimentStore';
import { runQueue } from '../experiments/runQueue';
import type { ExperimentCell, ExperimentRun } from '../../../shared/experiments/plan';

export interface ExperimentHost {
  runsDir: string;
  /** Drives one run of the experiment until it ends (at its limit, stopped or failed); a run at its limit is left as it is. */
  runToEnd(plan: ExperimentPlan, cell: ExperimentCell, run: ExperimentRun): Promise<void>;
  stopRun(name: string): Promise<unknown>;
  listRuns(): Promise<RunSummary[]>;
}

export class ExperimentQueues {
  private readonly running = new Map<string, { plan: ExperimentPlan; controller: AbortController; done: Promise<unknown> }>();
  /** Per experiment, the runs its queue could not start or drive, with the error (kept until the queue works on them again). */
  private readonly problems = new Map<string, Map<string, string>>();

  constructor(private readonly host: ExperimentHost) {}

  async list(): Promise<ExperimentStatus[]> {
    const runs = await this.host.listRuns();
    const statuses: ExperimentStatus[] = [];
    for (const spec of await savedExperiments(this.host.runsDir)) {
      try {
        statuses.push(this.status(this.planOf(spec), runs));
      } catch {
        // A spec that no longer plans (a setting since removed) is left out of the list.
      }
    }
    return statuses.sort((a, b) => a.name.localeCompare(b.name));
  }

  async start(spec: ExperimentSpec): Promise<ExperimentStatus> {
    const plan = this.planOf(spec);
    const saved = await loadExperiment(this.host.runsDir, plan.name);
    if (saved && JSON.stringify([saved.base ?? {}, saved.grid ?? {}]) !== JSON.stringify([spec.base ?? {}, spec.grid ?? {}]))
      throw new ApiError({
        code: 'conflict',
        message: `an experiment named "${plan.name}" with other settings exists; choose another name (the same base and grid with more seeds extends it)`,
      });
    this.refuseRunning(plan.name);
    await saveExperiment(this.host.runsDir, spec);
    this.work(plan);
    return this.status(plan, await this.host.listRuns());
  }

  async resume(name: string): Promise<ExperimentStatus> {
    const spec = await loadExperiment(this.host.runsDir, name);
    if (!spec) throw new ApiError({ code: 'not_found', message: `no experiment named "${name}" in this runs folder` });
    const plan = this.planOf(spec);
    this.refuseRunning(plan.name);
    this.work(plan);
    return this.status(plan, await this.host.listRuns());
  }

  /** Stops the queue and its running runs gracefully; resolves when they have stopped. */
  async stop(name: string): Promise<ExperimentStatus> {
    const entry = this.running.get(name);
    if (!entry) {
      const spec = await loadExperiment(this.host.runsDir, name);
      if (!spec) throw new ApiError({ code: 'not_found', message: `no experiment named "${name}" in this runs folder` });
      return this.status(this.planOf(spec), await this.host.listRuns());
    }
    entry.controller.abort();
    const runs = await this.host.listRuns();
    const mine = new Set(experimentQueue(entry.plan).map(({ run }) => run.name));
    await Promise.all(runs.filter((r) => mine.has(r.name) && r.status === 'running').map((r) => this.host.stopRun(r.name).catch(() => {})));
    await entry.done;
    return this.status(entry.plan, await this.host.listRuns());
  }

  /** Stops taking runs from every queue (the server is closing; its runs are stopped by it). */
  close(): void {
    for (const entry of this.running.values()) entry.controller.abort();
  }

  private work(plan: ExperimentPlan): void {
    const controller = new AbortController();
    const problems = this.problems.get(plan.name) ?? this.problems.set(plan.name, new Map()).get(plan.name)!;
    const drive = async (cell: ExperimentCell, run: ExperimentRun) => {
      problems.delete(run.name);
      try {
        await this.host.runToEnd(plan, cell, run);
      } catch (error) {
        // One run's failure to start leaves the others to go on; the status says which and why.
        problems.set(run.name, (error as Error).message);
      }
    };
    const done = runQueue(experimentQueue(plan), plan.parallel, ({ cell, run }) => drive(cell, run), controller.signal).finally(() => {
      if (this.running.get(plan.name)?.controller === controller) this.running.delete(plan.name);
    });
    this.running.set(plan.name, { plan, controller, done });
  }

  private refuseRunning(name: string): void {
    if (this.running.has(name)) throw new ApiError({ code: 'conflict', message: `experiment "${name}" is already running; stop it first` });
  }

  private planOf(spec: ExperimentSpec): ExperimentPlan {
    try {
      return experimentPlan(spec as unknown as Record<string, unknown>, this.host.runsDir, `experiment "${spec.name}"`);
    } catch (error) {
      if (error instanceof ExperimentError) throw new ApiError({ code: 'invalid_config', message: error.message });
      throw error;
    }
  }

  private failures(name: string, mine: ReadonlySet<string>, runs: readonly RunSummary[]): ExperimentStatus['failed'] {
    const problems = this.problems.get(name) ?? new Map<string, string>();
    const failed = runs.filter((r) => mine.has(r.name) && r.status === 'failed' && !problems.has(r.name)).map((r) => ({ run: r.name, message: 'the run failed; its log says why' }));
    return [...failed, ...[...problems].map(([run, message]) => ({ run, message }))].sort((a, b) => a.run.localeCompare(b.run));
  }

  private status(plan: ExperimentPlan, runs: readonly RunSummary[]): ExperimentStatus {
    const cost = planCost(plan);
    const mine = new Set(experimentQueue(plan).map(({ run }) => run.name));
    return {
      name: plan.name,
      cells: plan.cells.length,
      seeds: plan.seeds,
      runs: cost.runs,
      parallel: plan.parallel,
      compute: plan.compute,
      machine_minutes: cost.machineMinutes,
      done: runs.filter((r) => mine.has(r.name) && r.status === 'completed').length,
      running: this.running.has(plan.name),
      failed: this.failures(plan.name, mine, runs),
    };
  }
}

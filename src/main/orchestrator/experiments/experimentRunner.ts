/**
 * Runs an experiment's runs on this machine, `parallel` at a time, cell by cell: a run already at
 * its limit is kept as it is, a stopped or failed one is resumed, a missing one is created. Running
 * the experiment again after a stop (or with more seeds) picks up where it was. A run that fails
 * is reported with its error and the others go on.
 */
import { existsSync } from 'node:fs';
import { limitReached } from '../../../shared/runLimits';
import { Orchestrator } from '../orchestrator';
import { RunPaths } from '../state/runPaths';
import { runQueue } from './runQueue';
import type { ExperimentCell, ExperimentPlan, ExperimentRun } from '../../../shared/experiments/plan';

export interface ExperimentOutcome {
  completed: string[];
  failed: { name: string; error: string }[];
  /** Runs left undone because the experiment was stopped. */
  stopped: string[];
}

export async function runExperiment(plan: ExperimentPlan, o: { say(line: string): void; signal?: AbortSignal }): Promise<ExperimentOutcome> {
  const outcome: ExperimentOutcome = { completed: [], failed: [], stopped: [] };
  const running = new Set<Orchestrator>();
  const onAbort = () => {
    for (const orchestrator of running) orchestrator.stop();
  };
  o.signal?.addEventListener('abort', onAbort);
  const work = async ({ cell, run }: { cell: ExperimentCell; run: ExperimentRun }) => {
    try {
      const orchestrator = await handleOf(plan, cell, run);
      const { state } = orchestrator.view();
      if (state.config && limitReached(state.config, state.iterations)) {
        await orchestrator.close();
        outcome.completed.push(run.name);
        o.say(`${run.name}: already done (cell ${cell.index}: ${cell.label}, seed ${run.seedIndex})`);
        return;
      }
      o.say(`${run.name}: running (cell ${cell.index}: ${cell.label}, seed ${run.seedIndex})`);
      running.add(orchestrator);
      const unsubscribe = orchestrator.onEvent((event) => {
        if (event.type !== 'iteration.completed') return;
        const { summary } = orchestrator.view();
        const vsRandom = event.stats.vs_random_win_rate;
        o.say(
          `${run.name}: iteration ${event.stats.iteration} done, ${summary.minutes_done.toFixed(1)} min${vsRandom === null || vsRandom === undefined ? '' : `, vs random ${Math.round(vsRandom * 100)}%`}`,
        );
      });
      try {
        const result = await orchestrator.run();
        if (result === 'completed') outcome.completed.push(run.name);
        else outcome.stopped.push(run.name);
        o.say(`${run.name}: ${result}`);
      } finally {
        unsubscribe();
        running.delete(orchestrator);
        await orchestrator.close();
      }
    } catch (error) {
      const message = (error as Error).message.split('\n')[0]!;
      outcome.failed.push({ name: run.name, error: message });
      o.say(`${run.name}: failed: ${message}`);
    }
  };
  try {
    const notStarted = await runQueue(experimentQueue(plan), plan.parallel, work, o.signal);
    outcome.stopped.push(...notStarted.map(({ run }) => run.name));
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  return outcome;
}

/** An experiment's runs in the order they queue: cell by cell, seed by seed. */
export function experimentQueue(plan: ExperimentPlan): { cell: ExperimentCell; run: ExperimentRun }[] {
  return plan.cells.flatMap((cell) => cell.runs.map((run) => ({ cell, run })));
}

/** What a run of the experiment is tagged with (run.json, the runs list, Compare). */
export function experimentTag(plan: ExperimentPlan, cell: ExperimentCell, run: ExperimentRun) {
  return { name: plan.name, cell: cell.index, label: cell.label, seed_index: run.seedIndex };
}

async function handleOf(plan: ExperimentPlan, cell: ExperimentCell, run: ExperimentRun): Promise<Orchestrator> {
  const paths = new RunPaths(run.config.runsDir, run.name);
  if (existsSync(paths.events)) return Orchestrator.open(run.config.runsDir, run.name);
  return Orchestrator.create(run.config, {}, undefined, experimentTag(plan, cell, run));
}

/**
 * `loopdeck experiment <file.toml>`: runs an experiment's cells x seeds on this machine (again
 * after a stop: done runs are kept, the rest resume), then prints its table; `--report` prints the
 * table only, `--csv` or `--json` in those formats, `--curves` each cell's curves as CSV.
 */
import { defaultRunsDir } from '../../orchestrator/config';
import { ExperimentError } from '../../../shared/experiments/plan';
import { readExperiment } from '../../orchestrator/experiments/experimentFile';
import { saveExperiment } from '../../orchestrator/experiments/experimentStore';
import { experimentReport, reportText } from '../../orchestrator/experiments/experimentReport';
import { reportCsv } from '../../../shared/experiments/report';
import { runExperiment } from '../../orchestrator/experiments/experimentRunner';
import { curvesCsv } from '../../../shared/experiments/curves';
import { UsageError } from '../exitCodes';

export async function experimentCommand(file: string, options: { runsDir?: string; report?: boolean; csv?: boolean; json?: boolean; curves?: boolean }): Promise<number> {
  const runsDir = options.runsDir ?? defaultRunsDir();
  let read: Awaited<ReturnType<typeof readExperiment>>;
  try {
    read = await readExperiment(file, runsDir);
  } catch (error) {
    if (error instanceof ExperimentError) throw new UsageError(error.message);
    throw error;
  }
  const { plan, spec } = read;
  let failed = 0;
  if (!options.report) {
    const runs = plan.cells.length * plan.seeds;
    process.stdout.write(`experiment "${plan.name}": ${plan.cells.length} cells x ${plan.seeds} seeds = ${runs} runs, ${plan.parallel} at a time, ${plan.compute}\n`);
    // Kept beside the runs, so the panel lists it and can stop, resume or extend it.
    await saveExperiment(runsDir, spec);
    const controller = new AbortController();
    const stop = () => {
      process.stdout.write('stopping the experiment: the running runs stop gracefully; run it again to resume\n');
      controller.abort();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const outcome = await runExperiment(plan, { say: (line) => process.stdout.write(`${line}\n`), signal: controller.signal });
      failed = outcome.failed.length;
      if (outcome.stopped.length) {
        process.stdout.write(`stopped with ${outcome.stopped.length} runs not done; run the experiment again to resume\n`);
        return 130;
      }
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }
  const { cells, runs, curves } = await experimentReport(plan);
  if (options.json) process.stdout.write(`${JSON.stringify({ experiment: plan.name, compute: plan.compute, cells, runs, curves }, null, 2)}\n`);
  else if (options.curves) process.stdout.write(`${curvesCsv(curves)}\n`);
  else if (options.csv) process.stdout.write(`${reportCsv(cells)}\n`);
  else process.stdout.write(`${reportText(plan, cells)}\n`);
  return failed ? 1 : 0;
}

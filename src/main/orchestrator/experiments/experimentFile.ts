/** An experiment read from a TOML file (`loopdeck experiment <file.toml>`; the keys: src/shared/experiments/plan.ts). */
import { readFile } from 'node:fs/promises';
import { parse as parseToml } from 'smol-toml';
import { ExperimentError, type ExperimentPlan, type ExperimentSpec, experimentPlan } from '../../../shared/experiments/plan';

export async function readExperiment(path: string, runsDir: string): Promise<{ spec: ExperimentSpec; plan: ExperimentPlan }> {
  let table: Record<string, unknown>;
  try {
    table = parseToml(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ExperimentError(`${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  return { spec: table as unknown as ExperimentSpec, plan: experimentPlan(table, runsDir, path) };
}

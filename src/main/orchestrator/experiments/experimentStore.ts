/**
 * Experiments kept in the runs folder (`.experiments/<name>.json`, the spec as written), so the
 * panel can list, stop, resume and extend one whether the panel or the CLI started it.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExperimentSpec } from '../../../shared/experiments/plan';
import { writeJsonAtomic } from '../../../node/atomicWrite';

const folderOf = (runsDir: string) => join(runsDir, '.experiments');

export async function saveExperiment(runsDir: string, spec: ExperimentSpec): Promise<void> {
  await mkdir(folderOf(runsDir), { recursive: true });
  await writeJsonAtomic(join(folderOf(runsDir), `${spec.name}.json`), spec);
}

export async function loadExperiment(runsDir: string, name: string): Promise<ExperimentSpec | null> {
  const path = join(folderOf(runsDir), `${name}.json`);
  if (!existsSync(path)) return null;
  return JSON.parse(await readFile(path, 'utf8')) as ExperimentSpec;
}

export async function savedExperiments(runsDir: string): Promise<ExperimentSpec[]> {
  if (!existsSync(folderOf(runsDir))) return [];
  const names = (await readdir(folderOf(runsDir))).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
  const specs = await Promise.all(names.map((name) => loadExperiment(runsDir, name).catch(() => null)));
  return specs.filter((s): s is ExperimentSpec => s !== null);
}

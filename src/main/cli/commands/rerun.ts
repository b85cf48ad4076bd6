/**
 * `loopdeck rerun`: a new run made again from another's record: the settings it was created with
 * (its seed among them) and its engine commands, under a new name; then it runs. What differs
 * from the record (Loopdeck's commit, Node, ONNX Runtime, an engine's version or its files' contents, the machine)
 * is said before it starts.
 */
import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateConfig } from '../../../shared/config/validate';
import type { RunEvent } from '../../../shared/events';
import { type EngineRecord, engineVersionLine, type Provenance } from '../../../shared/provenance';
import { defaultRunsDir } from '../../orchestrator/config';
import { Orchestrator } from '../../orchestrator/orchestrator';
import { RunPaths } from '../../orchestrator/state/runPaths';
import { UsageError } from '../exitCodes';
import { runInForeground } from './run';

export async function rerunCommand(source: string, options: { name?: string; runsDir?: string }): Promise<number> {
  const runsDir = options.runsDir ?? defaultRunsDir();
  const paths = new RunPaths(runsDir, source);
  if (!existsSync(paths.events)) throw new UsageError(`no run "${source}" in ${runsDir}`);
  const created = await firstEvent(paths.events);
  if (created?.type !== 'run.created') throw new UsageError(`${paths.events} does not start with the run's creation; repair it first (loopdeck repair ${source})`);
  const name = options.name ?? freeName(runsDir, `${source}-rerun`);
  const checked = validateConfig({ ...created.config, name, runsDir });
  if (!checked.ok) throw new UsageError(`the settings ${source} was created with are not valid today: ${checked.errors.map((e) => e.message).join('; ')}`);
  const orchestrator = await Orchestrator.create(checked.config);
  const changes = (JSON.parse(await readFile(paths.runJson, 'utf8')).history as unknown[] | undefined) ?? [];
  const lines = [`Rerunning "${source}" as "${name}": the settings it was created with, seed ${checked.config.seed}, the same engine commands.`];
  if (changes.length)
    lines.push(`  ${source} had its settings changed ${changes.length} time(s) while it ran; those changes are not replayed (loopdeck run --name ${name} with the same flags at those iterations).`);
  const differences = provenanceDifferences(created.provenance ?? null, orchestrator.view().state.provenance);
  lines.push(...differences.map((d) => `  differs from the record: ${d}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  return runInForeground(orchestrator);
}

/** What differs between the record a run was made with and the one made now. */
export function provenanceDifferences(before: Provenance | null, now: Provenance | null): string[] {
  if (!before) return ['the original run recorded no versions (made before runs did)'];
  if (!now) return [];
  const out: string[] = [];
  const same = (label: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${label}: ${JSON.stringify(a)} then, ${JSON.stringify(b)} now`);
  };
  same('Loopdeck commit', before.loopdeck.commit, now.loopdeck.commit);
  same('uncommitted changes', before.loopdeck.dirty, now.loopdeck.dirty);
  same('Node', before.node, now.node);
  same('ONNX Runtime', before.onnxruntime, now.onnxruntime);
  same('machine', `${before.machine.cores} x ${before.machine.cpu}`, `${now.machine.cores} x ${now.machine.cpu}`);
  same('executor', before.executor, now.executor);
  for (const engine of before.engines) {
    const today = now.engines.find((e) => e.role === engine.role);
    if (engine.version !== undefined) same(`${engine.role} version`, versionText(engine), versionText(today));
    for (const file of engine.files) {
      const fileToday = today?.files.find((f) => f.path === file.path);
      if (fileToday?.sha256 !== file.sha256) out.push(`${engine.role} file ${file.path}: ${fileToday ? 'its contents changed' : 'no longer in the command'}`);
    }
  }
  return out;
}

function versionText(engine: EngineRecord | undefined): string | null {
  return engine?.version ? engineVersionLine(engine.version) : null;
}

async function firstEvent(path: string): Promise<RunEvent | null> {
  const file = await open(path);
  try {
    for await (const line of file.readLines()) return JSON.parse(line) as RunEvent;
    return null;
  } finally {
    await file.close();
  }
}

function freeName(runsDir: string, base: string): string {
  if (!existsSync(join(runsDir, base))) return base;
  for (let k = 2; ; k++) if (!existsSync(join(runsDir, `${base}${k}`))) return `${base}${k}`;
}

/** The record of what a run is made with, collected when it is created (shared/provenance.ts). */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, hostname, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { LoopConfig } from '../../../shared/config/fields';
import type { Provenance } from '../../../shared/provenance';
import { appVersion, type EngineCommands, findPackageRoot } from '../process/engineCommands';

export async function collectProvenance(config: LoopConfig, engine: EngineCommands): Promise<Provenance> {
  const root = findPackageRoot();
  const roles = ['actor', 'trainer', 'arena'] as const;
  // The three commands mostly name the same files (the bundled engine's are one Node binary of ~100 MB): each is read once.
  const hashes = new Map<string, Promise<string>>();
  const hashOf = (path: string) => hashes.get(path) ?? hashes.set(path, sha256Of(path)).get(path)!;
  return {
    loopdeck: { version: appVersion(), ...(await gitState(root)) },
    node: process.version,
    onnxruntime: packageVersion(root, 'onnxruntime-node'),
    machine: { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, memory_gb: Math.round(totalmem() / 2 ** 30), os: `${process.platform} ${release()}`, host: hostname() },
    engines: await Promise.all(roles.map(async (role) => ({ role, command: engine[role], files: await fileHashes(engine[role], hashOf) }))),
    executor: config.executor === 'slurm' ? `slurm${config.slurmPartition ? ` (partition ${config.slurmPartition})` : ''}` : 'local',
    seed: config.seed,
  };
}

async function gitState(root: string): Promise<{ commit: string | null; dirty: boolean | null }> {
  if (!existsSync(join(root, '.git'))) return { commit: null, dirty: null };
  const git = (args: string[]) => execa('git', args, { cwd: root, reject: false, timeout: 10_000 });
  const [head, status] = await Promise.all([git(['rev-parse', 'HEAD']), git(['status', '--porcelain', '--untracked-files=no'])]);
  if (head.exitCode !== 0) return { commit: null, dirty: null };
  return { commit: String(head.stdout).trim(), dirty: status.exitCode === 0 ? String(status.stdout).trim() !== '' : null };
}

function packageVersion(root: string, name: string): string | null {
  try {
    return JSON.parse(readFileSync(createRequire(join(root, 'package.json')).resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    return null;
  }
}

/** The files a command names (its program, its scripts), hashed: the engine's version as far as Loopdeck can tell. */
async function fileHashes(command: readonly string[], hashOf: (path: string) => Promise<string>): Promise<{ path: string; sha256: string }[]> {
  const files = command.filter((arg) => arg.startsWith('/') && existsSync(arg) && statSync(arg).isFile());
  return Promise.all([...new Set(files)].map(async (path) => ({ path, sha256: await hashOf(path) })));
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

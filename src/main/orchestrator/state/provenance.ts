/** The record of what a run is made with, collected when it is created (shared/provenance.ts). */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { cpus, hostname, release, totalmem } from 'node:os';
import { appVersion, gitState, packageVersion } from '../../../node/loopdeckBuild';
import type { LoopConfig } from '../../../shared/config/fields';
import type { EngineRecord, Provenance } from '../../../shared/provenance';
import type { EngineCommands } from '../process/engineCommands';
import { askEngine } from '../process/engineQuery';

const VERSION_TIMEOUT_MS = 15_000;

export async function collectProvenance(config: LoopConfig, engine: EngineCommands): Promise<Provenance> {
  const roles = ['actor', 'trainer', 'arena'] as const;
  // The three commands mostly name the same files (the bundled engine's are one Node binary of ~100 MB): each is read once.
  const hashes = new Map<string, Promise<string>>();
  const hashOf = (path: string) => hashes.get(path) ?? hashes.set(path, sha256Of(path)).get(path)!;
  // Each distinct command is asked its version once.
  const versions = new Map<string, Promise<Pick<EngineRecord, 'version' | 'version_error'>>>();
  const versionOf = (command: string[]) => {
    const key = JSON.stringify(command);
    return versions.get(key) ?? versions.set(key, askVersion(command)).get(key)!;
  };
  return {
    loopdeck: { version: appVersion(), ...(await gitState()) },
    node: process.version,
    onnxruntime: packageVersion('onnxruntime-node'),
    machine: { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, memory_gb: Math.round(totalmem() / 2 ** 30), os: `${process.platform} ${release()}`, host: hostname() },
    engines: await Promise.all(roles.map(async (role) => ({ role, command: engine[role], files: await fileHashes(engine[role], hashOf), ...(await versionOf(engine[role])) }))),
    executor: config.executor === 'slurm' ? `slurm${config.slurmPartition ? ` (partition ${config.slurmPartition})` : ''}` : 'local',
    seed: config.seed,
  };
}

/**
 * The command's answer to the protocol's optional `version` subcommand. An engine without it is
 * recorded by its files' hashes alone, and the reason is kept.
 */
async function askVersion(command: string[]): Promise<Pick<EngineRecord, 'version' | 'version_error'>> {
  const answer = await askEngine(command, 'version', VERSION_TIMEOUT_MS);
  const found = answer.events.find((e) => e.event === 'version');
  if (found) {
    const { event: _, ...version } = found;
    return { version };
  }
  const error = answer.events.find((e) => e.event === 'error');
  const said = (error?.event === 'error' ? error.message : '') || answer.problems.at(-1) || answer.lastLog;
  return { version: null, version_error: `it does not answer "version" (${answer.ending}${said ? `: ${said.slice(0, 200)}` : ''})` };
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

/** The record of what a run is made with, collected when it is created (shared/provenance.ts). */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { cpus, hostname, release, totalmem } from 'node:os';
import { execa } from 'execa';
import { appVersion, gitState, packageVersion } from '../../../node/loopdeckBuild';
import type { LoopConfig } from '../../../shared/config/fields';
import type { EngineRecord, Provenance } from '../../../shared/provenance';
import { PROTOCOL_PARSERS } from '../../../shared/protocol';
import { type EngineCommands, engineEnv } from '../process/engineCommands';

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
  const [program, ...args] = command;
  const result = await execa(program!, [...args, 'version'], { reject: false, timeout: VERSION_TIMEOUT_MS, env: engineEnv(), stdin: 'ignore' });
  let lastProblem = '';
  for (const line of String(result.stdout ?? '').split('\n')) {
    try {
      const event = PROTOCOL_PARSERS.version(line);
      if (event?.event === 'version') {
        const { event: _, ...version } = event;
        return { version };
      }
      if (event?.event === 'error') lastProblem = event.message;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
  }
  const exit = result.timedOut ? `no answer in ${VERSION_TIMEOUT_MS / 1000} s` : `exit ${result.exitCode ?? result.signal}`;
  const said =
    lastProblem ||
    String(result.stderr ?? '')
      .trim()
      .split('\n')
      .at(-1) ||
    '';
  return { version: null, version_error: `it does not answer "version" (${exit}${said ? `: ${said.slice(0, 200)}` : ''})` };
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

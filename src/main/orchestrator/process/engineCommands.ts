/**
 * Which command runs each engine process: the run's setting, else the
 * LOOPDECK_ENGINE environment variable (a command line), else the bundled
 * engine run by this same Node (or Electron-as-Node) binary.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitCommandLine } from '../../../shared/commandLine';
import type { LoopConfig } from '../../../shared/config/fields';

/** The command line of each engine process role. */
export interface EngineCommands {
  actor: string[];
  trainer: string[];
  arena: string[];
}

let packageRoot: string | null = null;

/** The folder of Loopdeck's package.json, found by walking up from this module. */
export function findPackageRoot(): string {
  if (packageRoot) return packageRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'loopdeck') {
      packageRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the loopdeck package root (package.json named "loopdeck") above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function bundledEngineCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.LOOPDECK_ENGINE) return splitCommandLine(env.LOOPDECK_ENGINE);
  // A larger young generation: MCTS trees are many small objects that live for a move or two,
  // and with the default size garbage collection takes a fifth of self-play time (docs/benchmarks.md).
  return [process.execPath, '--max-semi-space-size=64', join(findPackageRoot(), 'bin', 'loopdeck-engine.js')];
}

export function resolveEngineCommands(config: Pick<LoopConfig, 'actorCommand' | 'trainerCommand' | 'arenaCommand'>): EngineCommands {
  const bundled = bundledEngineCommand();
  return {
    actor: config.actorCommand ?? bundled,
    trainer: config.trainerCommand ?? bundled,
    arena: config.arenaCommand ?? bundled,
  };
}

export function appVersion(): string {
  try {
    return JSON.parse(readFileSync(join(findPackageRoot(), 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Environment of every engine process this orchestrator starts: the orphan
 * lifeline on (it exits when we die), and Node mode when we run inside Electron.
 */
export function engineEnv(): Record<string, string> {
  return { LOOPDECK_LIFELINE: '1', ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}) };
}

/**
 * Which command runs each engine process: the run's setting, else the
 * LOOPDECK_ENGINE environment variable (a command line), else the bundled
 * engine run by this same Node (or Electron-as-Node) binary.
 */
import { join } from 'node:path';
import { splitCommandLine } from '../../../shared/commandLine';
import type { LoopConfig } from '../../../shared/config/fields';
import { findPackageRoot } from '../../../node/loopdeckBuild';

/** The command line of each engine process role. */
export interface EngineCommands {
  actor: string[];
  trainer: string[];
  arena: string[];
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

/**
 * Environment of every engine process this orchestrator starts: the orphan
 * lifeline on (it exits when we die), and Node mode when we run inside Electron.
 */
export function engineEnv(): Record<string, string> {
  return { LOOPDECK_LIFELINE: '1', ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}) };
}

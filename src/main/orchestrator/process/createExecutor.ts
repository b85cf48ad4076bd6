/** The executor a run's settings ask for: local children, or Slurm job steps. */
import type { LoopConfig } from '../../../shared/config/fields';
import type { RunPaths } from '../state/runPaths';
import { LOCAL_EXECUTOR, type Executor } from './executor';
import { SlurmExecutor, type SlurmExecutorOptions } from './slurm/slurmExecutor';

export function createExecutor(config: LoopConfig, paths: RunPaths, hooks: Pick<SlurmExecutorOptions, 'log' | 'record'>): Executor {
  return config.executor === 'slurm' ? new SlurmExecutor(config, paths, hooks) : LOCAL_EXECUTOR;
}

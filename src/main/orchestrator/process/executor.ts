/**
 * Where a run's engine processes run. Local: children of this process. Slurm:
 * job steps of a per-run allocation (slurm/slurmExecutor.ts). The process
 * runner, retries and logs are the same either way: an executor only turns a
 * command line into the one that launches it, and holds what that needs.
 */
export type ProcessRole = 'actor' | 'trainer' | 'arena';

export interface ProcessLaunch {
  argv: string[];
  /** The signal of a graceful stop (SIGKILL follows after the grace period). */
  killSignal: NodeJS.Signals;
  /** Arm the stall timer only once the process prints its first stdout line (a queued job step prints only to stderr). */
  stallFromFirstStdout: boolean;
}

export interface Executor {
  readonly kind: 'local' | 'slurm';
  /** Before the run's first iteration of this session. */
  start(signal: AbortSignal): Promise<void>;
  /** Before each phase: the allocation is still there, or is made again. */
  ensureReady(signal: AbortSignal): Promise<void>;
  launch(role: ProcessRole, argv: string[]): ProcessLaunch;
  /** When the session ends, however it ends: nothing is left behind. */
  stop(): Promise<void>;
}

export const LOCAL_EXECUTOR: Executor = {
  kind: 'local',
  start: async () => {},
  ensureReady: async () => {},
  launch: (_role, argv) => ({ argv, killSignal: 'SIGTERM', stallFromFirstStdout: false }),
  stop: async () => {},
};

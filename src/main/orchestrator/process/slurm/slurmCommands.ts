/**
 * The Slurm command lines a run uses and the parsers of what they print:
 * pure functions, tested against canned output. See docs/slurm.md.
 *   holder job   sbatch --parsable -J ldk-<run> --time=... -n <actors> -c <cpus> --wrap <lease watch>
 *   job step     srun --jobid=<id> --exact -n1 -c<cpus> -X <command>
 *   cleanup      scancel --name=ldk-<run>
 */
import { joinCommandLine } from '../../../../shared/commandLine';
import type { LoopConfig } from '../../../../shared/config/fields';

export type SlurmSettings = Pick<LoopConfig, 'name' | 'numActors' | 'slurmPartition' | 'slurmAccount' | 'slurmTimeLimit' | 'slurmCpusPerTask' | 'slurmTrainerArgs' | 'slurmExtraArgs'>;

/** Every Slurm job of a run is named so, and so found and cancelled: `scancel --name`. */
export function jobName(run: string): string {
  return `ldk-${run}`;
}

/**
 * A shell loop that ends (and so ends the allocation) once the lease file's
 * content has not changed for `seconds` by this node's own clock. Content, not
 * mtime: opening a file revalidates it on NFS (close-to-open), while a cached
 * mtime can be a minute old; and no clock is compared across machines.
 */
export function leaseWatchScript(leaseFile: string, seconds: number): string {
  const lease = joinCommandLine([leaseFile]);
  return `last=; since=$(date +%s); while :; do beat=$(cat ${lease} 2>/dev/null); now=$(date +%s); if [ "$beat" != "$last" ]; then last=$beat; since=$now; elif [ $((now - since)) -gt ${seconds} ]; then echo "loopdeck: lease not renewed for $((now - since)) s; ending the allocation" >&2; exit 0; fi; sleep 1; done`;
}

/** The run's allocation: a small holder job whose steps are the engine processes. */
export function holderJobArgs(s: SlurmSettings, leaseFile: string, leaseSeconds: number, logFile: string): string[] {
  return [
    '--parsable',
    `--job-name=${jobName(s.name)}`,
    `--time=${s.slurmTimeLimit}`,
    `--ntasks=${Math.max(1, s.numActors)}`,
    `--cpus-per-task=${s.slurmCpusPerTask}`,
    `--output=${logFile}`,
    ...(s.slurmPartition ? [`--partition=${s.slurmPartition}`] : []),
    ...(s.slurmAccount ? [`--account=${s.slurmAccount}`] : []),
    ...(s.slurmExtraArgs ?? []),
    `--wrap=${leaseWatchScript(leaseFile, leaseSeconds)}`,
  ];
}

/**
 * A job step of the holder allocation running `command`. `-X`: a SIGINT goes
 * to the task (a graceful stop); srun's own status requests are off. The step
 * first says on stderr which node it runs on, for the process's log.
 */
export function stepArgs(s: SlurmSettings, jobId: string, command: readonly string[]): string[] {
  return [`--jobid=${jobId}`, '--exact', '--ntasks=1', `--cpus-per-task=${s.slurmCpusPerTask}`, '--disable-status', ...nodeAnnounce(command)];
}

/** The trainer in an allocation of its own, when slurmTrainerArgs are set (e.g. a GPU partition). */
export function trainerJobArgs(s: SlurmSettings, command: readonly string[]): string[] {
  return [
    `--job-name=${jobName(s.name)}`,
    `--time=${s.slurmTimeLimit}`,
    '--ntasks=1',
    `--cpus-per-task=${s.slurmCpusPerTask}`,
    '--disable-status',
    ...(s.slurmAccount ? [`--account=${s.slurmAccount}`] : []),
    ...(s.slurmTrainerArgs ?? []),
    ...nodeAnnounce(command),
  ];
}

function nodeAnnounce(command: readonly string[]): string[] {
  return ['/bin/sh', '-c', 'echo "[loopdeck] job $SLURM_JOB_ID step $SLURM_STEP_ID on node $SLURMD_NODENAME" >&2; exec "$@"', 'loopdeck-step', ...command];
}

/** `sbatch --parsable` prints `<jobid>` or `<jobid>;<cluster>`. */
export function parseSbatchParsable(stdout: string): string {
  const id = stdout.trim().split(/\r?\n/).pop()?.split(';')[0]?.trim() ?? '';
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed no job id (got ${JSON.stringify(stdout.trim()).slice(0, 200)})`);
  return id;
}

export interface JobState {
  state: string;
  reason: string;
  nodes: string;
}

/** `squeue -h -j <id> -o "%T|%R|%N"`: null when the job is no longer listed. */
export function parseSqueueLine(stdout: string): JobState | null {
  const line = stdout.trim().split(/\r?\n/)[0]?.trim();
  if (!line) return null;
  const [state = '', reason = '', nodes = ''] = line.split('|');
  return { state, reason, nodes };
}

/** srun's stderr lines that mean a step waits for resources instead of running. */
export function isWaitingLine(line: string): boolean {
  return /queued and waiting for resources|Requested nodes are busy|Step creation temporarily disabled|Job \d+ step creation/i.test(line);
}

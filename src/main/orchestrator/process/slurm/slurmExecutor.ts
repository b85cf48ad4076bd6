/**
 * Engine processes as Slurm job steps. One allocation per run: a small holder
 * job (named ldk-<run>, always with a time limit) whose steps are the actors
 * and arenas, so an iteration never waits in the queue again; the trainer is
 * a step too, or gets an allocation of its own (slurmTrainerArgs).
 *
 * Nothing is left behind: a graceful stop sends SIGINT to `srun -X` (then
 * SIGKILL after the grace period); a SIGKILLed orchestrator closes its sruns'
 * stdin, and the engine's lifeline ends the steps; if srun and its shepherd
 * die too, or the login node is lost, the holder exits once the lease file
 * this process renews goes stale, ending the allocation and its steps; and
 * jobs named ldk-<run> left from before are cancelled at start and at the end.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { ApiError } from '../../../../shared/api';
import type { LoopConfig } from '../../../../shared/config/fields';
import type { Executor, ProcessLaunch, ProcessRole } from '../executor';
import type { RunPaths } from '../../state/runPaths';
import { holderJobArgs, jobName, parseSbatchParsable, parseSqueueLine, stepArgs, trainerJobArgs, type JobState } from './slurmCommands';

export interface SlurmExecutorOptions {
  /** Seconds without a renewal after which the holder ends the allocation (default 12, so a lost orchestrator's allocation ends within about 20 s). */
  leaseSeconds?: number;
  /** Milliseconds between lease renewals and between squeue polls. */
  pollMs?: number;
  /** Says what happens, for the run's log. */
  log(message: string): void;
  /** Records a job id (the journal's slurm.job event). */
  record(job: { job_id: string; role: 'holder'; state: 'submitted' | 'running' | 'ended' }): Promise<void>;
}

/** A Slurm command's failure, with Slurm's own message and what to check. */
export class SlurmError extends ApiError {
  constructor(message: string) {
    super({ code: 'internal', message });
    this.name = 'SlurmError';
  }
}

async function slurm(command: string, args: string[]): Promise<string> {
  const result = await execa(command, args, { reject: false, timeout: 60_000 });
  if ((result as { code?: string }).code === 'ENOENT' || result.exitCode === undefined)
    throw new SlurmError(`executor is "slurm" but ${command} is not on PATH; run on a machine with Slurm's client commands, or set executor to local`);
  if (result.exitCode !== 0)
    throw new SlurmError(`${command} ${args.filter((a) => !a.startsWith('--wrap')).join(' ')} failed (exit ${result.exitCode}): ${String(result.stderr).trim() || String(result.stdout).trim()}`);
  return String(result.stdout);
}

export class SlurmExecutor implements Executor {
  readonly kind = 'slurm';
  private jobId: string | null = null;
  private lease: NodeJS.Timeout | null = null;
  private readonly leaseSeconds: number;
  private readonly pollMs: number;

  constructor(
    private readonly config: LoopConfig,
    private readonly paths: RunPaths,
    private readonly options: SlurmExecutorOptions,
  ) {
    this.leaseSeconds = options.leaseSeconds ?? 12;
    this.pollMs = options.pollMs ?? 1000;
  }

  get leaseFile(): string {
    return join(this.paths.root, 'slurm.lease');
  }

  /** The allocation's job id, once submitted. */
  get job(): string | null {
    return this.jobId;
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.cancelLeftovers('left from before');
    await this.submit(signal);
  }

  async ensureReady(signal: AbortSignal): Promise<void> {
    const state = this.jobId ? await this.state(this.jobId) : null;
    if (state?.state === 'RUNNING') return;
    this.options.log(`allocation ${this.jobId ?? '(none)'} is ${state ? state.state.toLowerCase() : 'gone'} (its time limit, or a node failure); submitting a new one`);
    await this.submit(signal);
  }

  launch(role: ProcessRole, argv: string[]): ProcessLaunch {
    const own = role === 'trainer' && (this.config.slurmTrainerArgs?.length ?? 0) > 0;
    if (!own && !this.jobId) throw new SlurmError('no Slurm allocation: the run has not started its executor');
    return { argv: ['srun', ...(own ? trainerJobArgs(this.config, argv) : stepArgs(this.config, this.jobId!, argv))], killSignal: 'SIGINT', stallFromFirstStdout: true };
  }

  async stop(): Promise<void> {
    if (this.lease) clearInterval(this.lease);
    this.lease = null;
    const job = this.jobId;
    this.jobId = null;
    if (job) {
      await slurm('scancel', [job]).catch((e) => this.options.log(`could not cancel allocation ${job}: ${(e as Error).message}`));
      await this.options.record({ job_id: job, role: 'holder', state: 'ended' }).catch(() => {});
    }
    await this.cancelLeftovers('at the end of the run');
    await rm(this.leaseFile, { force: true });
  }

  private async cancelLeftovers(when: string): Promise<void> {
    const name = jobName(this.config.name);
    const listed = await slurm('squeue', ['-h', `--name=${name}`, '-o', '%i']).catch(() => '');
    const ids = listed.split(/\s+/).filter(Boolean);
    if (ids.length === 0) return;
    this.options.log(`cancelling Slurm jobs named ${name} ${when}: ${ids.join(', ')}`);
    await slurm('scancel', [`--name=${name}`]);
  }

  private async state(jobId: string): Promise<JobState | null> {
    return parseSqueueLine(await slurm('squeue', ['-h', '-j', jobId, '-o', '%T|%R|%N']).catch(() => ''));
  }

  /** A new beat: the holder watches the content change. Written whole (temp file, rename), so a reader never sees half of one. */
  private async renewLease(): Promise<void> {
    const temp = `${this.leaseFile}.${process.pid}.tmp`;
    await writeFile(temp, `${this.jobId ?? ''} ${Date.now()}\n`)
      .then(() => rename(temp, this.leaseFile))
      .catch(() => {});
  }

  private async submit(signal: AbortSignal): Promise<void> {
    await mkdir(this.paths.root, { recursive: true });
    await this.renewLease();
    if (!this.lease) {
      this.lease = setInterval(() => void this.renewLease(), Math.min(this.pollMs, (this.leaseSeconds * 1000) / 4));
      this.lease.unref();
    }
    await mkdir(join(this.paths.root, 'logs'), { recursive: true });
    const args = holderJobArgs(this.config, this.leaseFile, this.leaseSeconds, join(this.paths.root, 'logs', 'slurm-allocation-%j.out'));
    const jobId = parseSbatchParsable(await slurm('sbatch', args));
    this.jobId = jobId;
    await this.renewLease();
    await this.options.record({ job_id: jobId, role: 'holder', state: 'submitted' });
    this.options.log(
      `submitted allocation ${jobId} (${jobName(this.config.name)}: ${Math.max(1, this.config.numActors)} tasks x ${this.config.slurmCpusPerTask} CPUs, time limit ${this.config.slurmTimeLimit})`,
    );
    let lastReason = '';
    for (;;) {
      if (signal.aborted) {
        await slurm('scancel', [jobId]).catch(() => {});
        this.jobId = null;
        throw new SlurmError('stopped while waiting for the Slurm allocation');
      }
      const state = await this.state(jobId);
      if (state?.state === 'RUNNING') {
        this.options.log(`allocation ${jobId} is running on ${state.nodes || 'its node'}`);
        await this.options.record({ job_id: jobId, role: 'holder', state: 'running' });
        return;
      }
      if (!state || !['PENDING', 'CONFIGURING'].includes(state.state)) {
        this.jobId = null;
        throw new SlurmError(
          `allocation ${jobId} ended before it ran (${state ? `${state.state}: ${state.reason}` : 'no longer listed'}); see ${join(this.paths.root, 'logs', `slurm-allocation-${jobId}.out`)}`,
        );
      }
      if (state.reason !== lastReason) {
        lastReason = state.reason;
        this.options.log(`waiting for Slurm allocation ${jobId}: ${state.reason}`);
      }
      await new Promise((r) => setTimeout(r, Math.min(this.pollMs, 500)));
    }
  }
}

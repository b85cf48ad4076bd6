/**
 * The Slurm executor against fake sbatch/squeue/scancel on PATH (canned
 * output), as established Slurm tools test theirs: the command lines it
 * builds, the output it parses, and its errors.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlurmExecutor } from '../../../../../src/main/orchestrator/process/slurm/slurmExecutor';
import { holderJobArgs, isWaitingLine, leaseWatchScript, parseSbatchParsable, parseSqueueLine, stepArgs } from '../../../../../src/main/orchestrator/process/slurm/slurmCommands';
import { RunPaths } from '../../../../../src/main/orchestrator/state/runPaths';
import { validateConfig } from '../../../../../src/shared/config/validate';
import type { LoopConfig } from '../../../../../src/shared/config/fields';

const FAKES = resolve(__dirname, '../../../../fixtures/fake-slurm');
let dir: string;
const saved = { ...process.env };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loopdeck-slurm-'));
  process.env.PATH = `${FAKES}:${saved.PATH}`;
  process.env.FAKE_SLURM_DIR = dir;
});
afterEach(async () => {
  process.env = { ...saved };
  await rm(dir, { recursive: true, force: true });
});

function config(overrides: Record<string, unknown> = {}): LoopConfig {
  const result = validateConfig({ name: 'r', runsDir: dir, executor: 'slurm', numActors: 2, slurmPartition: 'cpu', slurmAccount: 'lab', slurmTimeLimit: '2:00:00', slurmCpusPerTask: 2, ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

const calls = async () =>
  (await readFile(join(dir, 'calls.log'), 'utf8').catch(() => ''))
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));

function executor(c: LoopConfig, logs: string[] = [], records: unknown[] = []) {
  return new SlurmExecutor(c, new RunPaths(dir, c.name), { pollMs: 10, log: (m) => logs.push(m), record: async (j) => void records.push(j) });
}

describe('Slurm command lines and parsers', () => {
  it('holds one allocation per run, named ldk-<run>, with a time limit, the partition, account and extra arguments', () => {
    const args = holderJobArgs(config({ slurmExtraArgs: '--qos=normal' }), '/runs/r/slurm.lease', 15, '/runs/r/logs/slurm-allocation-%j.out');
    expect(args).toEqual([
      '--parsable',
      '--job-name=ldk-r',
      '--time=2:00:00',
      '--ntasks=2',
      '--cpus-per-task=2',
      '--output=/runs/r/logs/slurm-allocation-%j.out',
      '--partition=cpu',
      '--account=lab',
      '--qos=normal',
      `--wrap=${leaseWatchScript('/runs/r/slurm.lease', 15)}`,
    ]);
    expect(stepArgs(config(), '42', ['node', 'engine.js', 'selfplay'])).toEqual([
      '--jobid=42',
      '--exact',
      '--ntasks=1',
      '--cpus-per-task=2',
      '--disable-status',
      '/bin/sh',
      '-c',
      expect.stringContaining('on node $SLURMD_NODENAME'),
      'loopdeck-step',
      'node',
      'engine.js',
      'selfplay',
    ]);
  });

  it('parses what sbatch and squeue print, and refuses what it cannot', () => {
    expect(parseSbatchParsable('1234\n')).toBe('1234');
    expect(parseSbatchParsable('1234;cluster\n')).toBe('1234');
    expect(() => parseSbatchParsable('sbatch: error: Batch job submission failed\n')).toThrow(/sbatch printed no job id/);
    expect(parseSqueueLine('RUNNING|None|node[1-2]\n')).toEqual({ state: 'RUNNING', reason: 'None', nodes: 'node[1-2]' });
    expect(parseSqueueLine('')).toBeNull();
    expect(isWaitingLine('srun: job 12 queued and waiting for resources')).toBe(true);
    expect(isWaitingLine('srun: Step created for StepId=12.3')).toBe(false);
  });

  it('validates the Slurm settings like every setting', () => {
    expect(validateConfig({ executor: 'pbs' }).errors[0]!.message).toMatch(/executor must be one of local, slurm/);
    expect(validateConfig({ slurmTimeLimit: 'two hours' }).errors[0]!.message).toMatch(/slurmTimeLimit must be a Slurm time such as 90, 12:00:00/);
    expect(validateConfig({ slurmPartition: 'gpu; rm -rf' }).errors[0]!.message).toMatch(/slurmPartition must be a partition name/);
    expect(validateConfig({ slurmCpusPerTask: 0 }).errors[0]!.message).toMatch(/slurmCpusPerTask must be a whole number from 1/);
  });
});

describe('SlurmExecutor with fake Slurm commands', () => {
  it('cancels leftovers, submits the allocation, waits while it is pending, launches steps in it, and cancels everything at the end', async () => {
    process.env.FAKE_SLURM_PENDING_POLLS = '3';
    process.env.FAKE_SLURM_LEFTOVERS = '7 8';
    const logs: string[] = [];
    const records: unknown[] = [];
    const e = executor(config({ slurmTrainerArgs: '--gpus=1 -p gpu' }), logs, records);
    await e.start(new AbortController().signal);
    expect(e.job).toBe('42');
    expect(logs.join('\n')).toMatch(/cancelling Slurm jobs named ldk-r left from before: 7, 8/);
    expect(logs.join('\n')).toMatch(/waiting for Slurm allocation 42: Resources/);
    expect(logs.join('\n')).toMatch(/allocation 42 is running on node7/);
    expect(records).toEqual([
      { job_id: '42', role: 'holder', state: 'submitted' },
      { job_id: '42', role: 'holder', state: 'running' },
    ]);
    const actor = e.launch('actor', ['node', 'engine.js', 'selfplay']);
    expect(actor).toMatchObject({ killSignal: 'SIGINT', stallFromFirstStdout: true });
    expect(actor.argv.slice(0, 3)).toEqual(['srun', '--jobid=42', '--exact']);
    // The trainer with its own srun arguments gets its own allocation, under the run's job name.
    const trainer = e.launch('trainer', ['node', 'engine.js', 'train']);
    expect(trainer.argv).toEqual(expect.arrayContaining(['srun', '--job-name=ldk-r', '--gpus=1', '-p', 'gpu', 'train']));
    expect(trainer.argv).not.toContain('--jobid=42');
    expect((await readFile(join(dir, 'r', 'slurm.lease'), 'utf8')).split(' ')[0]).toBe('42');

    await e.stop();
    const log = await calls();
    expect(log.filter((c) => c[0] === 'scancel')).toEqual([
      ['scancel', '--name=ldk-r'],
      ['scancel', '42'],
      ['scancel', '--name=ldk-r'],
    ]);
    expect(log.find((c) => c[0] === 'sbatch')).toEqual(expect.arrayContaining(['--job-name=ldk-r', '--time=2:00:00', '--partition=cpu', '--account=lab']));
  });

  it('submits a new allocation when the old one has ended', async () => {
    const logs: string[] = [];
    const e = executor(config(), logs);
    await e.start(new AbortController().signal);
    process.env.FAKE_SLURM_FINAL = 'COMPLETED|TimeLimit|';
    await expect(e.ensureReady(new AbortController().signal)).rejects.toThrow(/allocation 43 ended before it ran \(COMPLETED: TimeLimit\)/);
    expect(logs.join('\n')).toMatch(/allocation 42 is completed .*submitting a new one/);
    delete process.env.FAKE_SLURM_FINAL;
    await e.ensureReady(new AbortController().signal);
    expect(e.job).toBe('44');
    await e.stop();
  });

  it("says what is wrong with Slurm's own message: a rejected submission, no Slurm on PATH", async () => {
    process.env.FAKE_SLURM_SBATCH_ERROR = 'sbatch: error: invalid partition specified: cpu';
    const rejected = executor(config());
    await expect(rejected.start(new AbortController().signal)).rejects.toThrow(/sbatch .*failed \(exit 1\): sbatch: error: invalid partition specified: cpu/);
    // As the orchestrator does after a failed start: nothing is left renewing the lease.
    await rejected.stop();
    process.env.PATH = '/nonexistent';
    const missing = executor(config());
    await expect(missing.start(new AbortController().signal)).rejects.toThrow(/executor is "slurm" but (squeue|sbatch) is not on PATH/);
    await missing.stop();
  });
});

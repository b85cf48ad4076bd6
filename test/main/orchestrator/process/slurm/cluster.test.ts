/**
 * The Slurm executor on a real one-node cluster (scripts/slurm-local.sh, which
 * .ci/run starts). Where no cluster answers, these tests skip and say why.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeExperimentToml } from '../../../../fixtures/fakeExperiment';
import { FAKE_ENGINE_FLAGS, isAlive, runCli, tempDir, waitFor } from '../../helpers';

const ROOT = resolve(__dirname, '../../../../..');

function clusterUp(): string | null {
  try {
    execFileSync(join(ROOT, 'scripts', 'slurm-local.sh'), ['status'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'no Slurm cluster answers here (start one with "sudo scripts/slurm-local.sh start"; .ci/run does)';
  }
}
const skip = clusterUp();
if (skip) console.warn(`Slurm cluster tests skipped: ${skip}`);

const jobsNamed = (name: string) => execFileSync('squeue', ['-h', `--name=${name}`, '-o', '%i'], { encoding: 'utf8' }).trim();

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => {
  await cleanup();
});

const cli = (args: string[], env: Record<string, string> = {}) => runCli(dir, args, env);

const runArgs = (name: string, iterations: number) => [
  'run',
  '--name',
  name,
  '--executor',
  'slurm',
  '--iterations',
  String(iterations),
  '--episodes-per-iteration',
  '8',
  '--steps-per-iteration',
  '5',
  '--eval-games',
  '4',
  '--ladder-games',
  '0',
  ...FAKE_ENGINE_FLAGS,
];

describe.skipIf(skip !== null)('on a one-node Slurm cluster', () => {
  it('a 2-iteration run with --executor slurm completes, its processes job steps of one allocation, nothing left after', async () => {
    const run = cli(runArgs('s2', 2));
    expect(await run.done).toBe(0);
    const events = (await readFile(join(dir, 'runs', 's2', 'events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const jobs = events.filter((e) => e.type === 'slurm.job');
    expect(jobs.map((e) => e.state)).toEqual(['submitted', 'running', 'ended']);
    expect(new Set(jobs.map((e) => e.job_id)).size).toBe(1);
    const actorLog = await readFile(join(dir, 'runs', 's2', 'logs', 'iter-0001', 'actor-1.log'), 'utf8');
    expect(actorLog).toMatch(new RegExp(`start: srun --jobid=${jobs[0].job_id} --exact`));
    expect(actorLog).toMatch(/\[loopdeck\] job \d+ step \d+ on node localhost/);
    // The allocation was cancelled; Slurm lists it until it has finished completing (seconds on a busy node).
    await waitFor(() => jobsNamed('ldk-s2') === '', 20_000);
  }, 60_000);

  it('a SIGKILLed orchestrator leaves no job named ldk-<run> and no engine process after 20 s', async () => {
    const run = cli(runArgs('k', 50), { FAKE_ENGINE: JSON.stringify({ delayMs: 200 }) });
    const journal = join(dir, 'runs', 'k', 'events.jsonl');
    await waitFor(async () => /"phase":"selfplay"/.test(await readFile(journal, 'utf8').catch(() => '')), 30_000);
    const engines = () => execFileSync('pgrep', ['-f', `fake-engine.mjs selfplay .*runs/k/`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
    await waitFor(() => {
      try {
        return engines().length >= 2;
      } catch {
        return false;
      }
    }, 20_000);
    const pids = engines();
    expect(jobsNamed('ldk-k')).not.toBe('');
    run.child.kill('SIGKILL');
    await run.done;
    const killed = Date.now();
    await waitFor(() => jobsNamed('ldk-k') === '' && pids.every((p) => !isAlive(p)), 20_000);
    expect(Date.now() - killed).toBeLessThan(20_000);
  }, 90_000);

  it('an experiment on Slurm submits every run at once, whatever its `parallel`, and the cluster queues them', async () => {
    const file = join(dir, 'exp.toml');
    await writeFile(file, fakeExperimentToml({ name: 'sl', grid: 'learningRate = [0.002]' }).replace('parallel = 2', 'parallel = 1').replace('[base]', '[base]\nexecutor = "slurm"'));
    const run = cli(['experiment', file, '--runs-dir', join(dir, 'runs')]);
    expect(await run.done, run.err()).toBe(0);
    expect(run.out()).toContain('1 cells x 2 seeds = 2 runs, 2 at a time');
    const journal = async (name: string) =>
      (await readFile(join(dir, 'runs', name, 'events.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    const [one, two] = await Promise.all([journal('sl-c1-s1'), journal('sl-c1-s2')]);
    const submitted = (events: { type: string; state?: string; time: string }[]) => events.find((e) => e.type === 'slurm.job' && e.state === 'submitted')!.time;
    const completed = (events: { type: string; status?: string; time: string }[]) => events.findLast((e) => e.type === 'run.state' && e.status === 'completed')!.time;
    // Both allocations were asked for before either run ended.
    expect(submitted(two) < completed(one) && submitted(one) < completed(two)).toBe(true);
    await waitFor(() => jobsNamed('ldk-sl-c1-s1') === '' && jobsNamed('ldk-sl-c1-s2') === '', 20_000);
  }, 120_000);

  it('an expired lease ends the allocation: the holder job exits when its launcher stops renewing it', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'fixtures', 'slurm-holder.ts'), dir, 'lease'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const job = await new Promise<string>((ok) => createInterface({ input: holder.stdout! }).once('line', ok));
    expect(execFileSync('squeue', ['-h', '-j', job, '-o', '%T'], { encoding: 'utf8' }).trim()).toBe('RUNNING');
    holder.kill('SIGKILL');
    const killed = Date.now();
    await waitFor(() => jobsNamed('ldk-lease') === '', 20_000);
    // A 3 s lease, checked every second: gone in a few seconds, not at the time limit.
    expect(Date.now() - killed).toBeLessThan(10_000);
  }, 40_000);
});

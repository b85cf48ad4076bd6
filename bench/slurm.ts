/**
 * The Slurm executor's cost: the same 2-actor Connect Four iteration run
 * locally and as job steps on the one-node cluster (scripts/slurm-local.sh),
 * back to back in alternating order. This machine's speed drifts by tens of
 * percent within minutes, so each round's two runs are compared with each
 * other and the median of those ratios is the figure (target: under 5% slower).
 *   npx tsx bench/slurm.ts [--rounds 5]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './median';

const ROOT = resolve(import.meta.dirname, '..');

function clusterUp(): boolean {
  try {
    execFileSync(join(ROOT, 'scripts', 'slurm-local.sh'), ['status'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** One iteration from nothing; returns its total_time in seconds. */
async function iteration(runsDir: string, name: string, executor: 'local' | 'slurm'): Promise<number> {
  const args = [
    'run',
    '--game',
    'connect4',
    '--name',
    name,
    '--runs-dir',
    runsDir,
    '--executor',
    executor,
    '--iterations',
    '1',
    '--episodes-per-iteration',
    '600',
    '--steps-per-iteration',
    '150',
    '--eval-games',
    '40',
    '--ladder-games',
    '10',
  ];
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'loopdeck.js'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise((r) => child.on('close', r));
  if (code !== 0) throw new Error(`loopdeck run --executor ${executor} exited ${code}`);
  const loop = JSON.parse(await readFile(join(runsDir, name, 'loop_stats.json'), 'utf8'));
  return loop.iterations[0].total_time;
}

export async function main(argv: string[] = []): Promise<boolean> {
  if (!clusterUp()) {
    console.log('slurm bench skipped: no Slurm cluster answers (sudo scripts/slurm-local.sh start)');
    return true;
  }
  const { values } = parseArgs({ args: argv, options: { rounds: { type: 'string', default: '5' }, quick: { type: 'boolean' } }, strict: false });
  const rounds = values.quick ? 1 : Number(values.rounds);
  const dir = await mkdtemp(join(tmpdir(), 'loopdeck-slurm-bench-'));
  const times: Record<'local' | 'slurm', number[]> = { local: [], slurm: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      for (const executor of r % 2 ? (['slurm', 'local'] as const) : (['local', 'slurm'] as const)) times[executor].push(await iteration(dir, `${executor}-${r}`, executor));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const ratio = median(times.slurm.map((t, i) => t / times.local[i]!));
  const ok = ratio < 1.05;
  const list = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
  console.log(
    `one 2-actor Connect Four iteration (600 games, 150 steps, evaluation with a ladder), ${rounds} rounds: local ${list(times.local)} s, Slurm job steps ${list(times.slurm)} s; median of the rounds' ratios ${((ratio - 1) * 100).toFixed(1)}% slower (target < 5%) ${ok ? 'PASS' : 'FAIL'}`,
  );
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2)).then((ok) => process.exit(ok ? 0 : 1));

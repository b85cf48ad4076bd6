/**
 * What the Python kit's protocol plumbing costs an actor (target < 5%): the example Connect Three
 * engine's `selfplay` (flags, lifeline, JSON events, shard files, game records) against the same
 * games played by the kit's loop in-process with none of it (same seed, so the same games).
 *   npx tsx bench/pythonKit.ts [--quick]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from './median';

const PYTHON = process.env.LOOPDECK_TEST_PYTHON ?? '/usr/bin/python3';
const ROOT = resolve(import.meta.dirname, '..');
const ENGINE = join(ROOT, 'python/examples/connect3.py');
const SIMS = 32;

const setup = `import sys, time; sys.path.insert(0, ${JSON.stringify(join(ROOT, 'python'))}); sys.path.insert(0, ${JSON.stringify(join(ROOT, 'python/examples'))})
from connect3 import ConnectThree
from loopdeck_kit.network import MlpNetwork
game = ConnectThree()`;

function direct(model: string, episodes: number): number {
  const script = `${setup}
import numpy as np
from loopdeck_kit.engine import Engine, play_selfplay_game
from loopdeck_kit.mcts import Evaluator
engine = Engine([game])
flags = {"sims": ${SIMS}, "temp-threshold": 6}
rng = np.random.default_rng(7)
evaluator = Evaluator(game, MlpNetwork.load(game, ${JSON.stringify(model)}), rng)
started = time.perf_counter()
for _ in range(${episodes}):
    play_selfplay_game(engine, game, evaluator, flags, rng)
print(time.perf_counter() - started)`;
  return Number(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' }));
}

async function viaProtocol(model: string, out: string, episodes: number): Promise<{ wall: number; inProcess: number }> {
  const started = performance.now();
  const child = spawn(
    PYTHON,
    [ENGINE, 'selfplay', '--game', 'connect3-5x4', '--model', model, '--episodes', String(episodes), '--sims', String(SIMS), '--temp-threshold', '6', '--seed', '7', '--actor-id', '1', '--out', out],
    {
      env: { ...process.env, LOOPDECK_LIFELINE: '1', LOOPDECK_RECORD_GAMES: '4' },
      stdio: ['pipe', 'pipe', 'ignore'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  await new Promise((r) => child.on('close', r));
  const done = stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .find((e) => e.event === 'done');
  return { wall: (performance.now() - started) / 1000, inProcess: done.seconds };
}

export async function main(args: string[]): Promise<boolean> {
  const quick = args.includes('--quick');
  const episodes = quick ? 30 : 100;
  const repeats = quick ? 1 : 3;
  const dir = await mkdtemp(join(tmpdir(), 'loopdeck-kit-bench-'));
  try {
    const model = join(dir, 'model.npz');
    execFileSync(PYTHON, ['-c', `${setup}\nMlpNetwork.create(game, 1).save(${JSON.stringify(model)})`]);
    const plain: number[] = [];
    const inProcess: number[] = [];
    const wall: number[] = [];
    for (let r = 0; r < repeats; r++) {
      plain.push(direct(model, episodes));
      const run = await viaProtocol(model, join(dir, `out-${r}`), episodes);
      inProcess.push(run.inProcess);
      wall.push(run.wall);
    }
    const share = (t: number) => (t - median(plain)) / t;
    console.log(`Python kit, Connect Three, ${episodes} self-play games at ${SIMS} simulations, median of ${repeats} (one process, one core):`);
    console.log(
      `  the kit's loop alone: ${median(plain).toFixed(2)} s; selfplay through the protocol: ${median(inProcess).toFixed(2)} s in-process, ${median(wall).toFixed(2)} s with the interpreter's start`,
    );
    console.log(`  plumbing share: ${(share(median(inProcess)) * 100).toFixed(1)}% in-process, ${(share(median(wall)) * 100).toFixed(1)}% with the start (target < 5%)`);
    return share(median(inProcess)) < 0.05;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit((await main(process.argv.slice(2))) ? 0 : 1);

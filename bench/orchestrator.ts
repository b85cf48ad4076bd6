/**
 * Orchestration overhead and event-parsing throughput, on the fake engine.
 *   npx tsx bench/orchestrator.ts [--quick]
 * (a) The share of an iteration's wall time when no child process is running
 *     (spawning, parsing, journal and projection writes): target < 2% for a
 *     ~30 s iteration.
 * (b) Protocol lines per second through the process runner: target >= 100,000.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateConfig } from '../src/shared/config/validate';
import { PROTOCOL_PARSERS } from '../src/shared/protocol';
import { runProtocolProcess } from '../src/main/orchestrator/process/childProcess';
import { Orchestrator } from '../src/main/orchestrator/orchestrator';

const FAKE = [process.execPath, resolve(import.meta.dirname, '../test/fixtures/fake-engine.mjs')];

/** Total length of the union of [start, end] intervals. */
function unionLength(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [curStart, curEnd] = [-Infinity, -Infinity];
  for (const [s, e] of sorted) {
    if (s > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      [curStart, curEnd] = [s, e];
    } else curEnd = Math.max(curEnd, e);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

export async function overhead(quick: boolean): Promise<{ iterationSeconds: number; overheadShare: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'loopdeck-bench-'));
  // Each phase about 10 s (1 s in quick mode): 2 actors x 50 games, 100 train steps, 2 arenas x 40 games.
  const delay = quick ? 10 : 100;
  process.env.FAKE_ENGINE = JSON.stringify({ delayMs: delay, arena: { gameDelayMs: delay * 2.5 } });
  const result = validateConfig({
    name: 'bench',
    runsDir: dir,
    iterations: 2,
    episodesPerIteration: 100,
    numActors: 2,
    stepsPerIteration: 100,
    evalGames: 40,
    // Phases one after another, so that an iteration's window holds only its own processes.
    overlapSelfplay: false,
    actorCommand: FAKE,
    trainerCommand: FAKE,
    arenaCommand: FAKE,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const intervals: [number, number][] = [];
  const iterationWindows: [number, number][] = [];
  let iterationStart = 0;
  const orchestrator = await Orchestrator.create(result.config, {
    onExit: (_name, seconds) => {
      const end = performance.now();
      intervals.push([end - seconds * 1000, end]);
    },
  });
  orchestrator.onEvent((e) => {
    if (e.type === 'iteration.started') iterationStart = performance.now();
    if (e.type === 'iteration.completed') iterationWindows.push([iterationStart, performance.now()]);
  });
  await orchestrator.run();
  await orchestrator.close();
  // The second iteration has the full evaluation (vs best and vs random).
  const [start, end] = iterationWindows[1]!;
  const inside = unionLength(intervals.filter(([s, e]) => s >= start && e <= end));
  await rm(dir, { recursive: true, force: true });
  delete process.env.FAKE_ENGINE;
  return { iterationSeconds: (end - start) / 1000, overheadShare: 1 - inside / (end - start) };
}

export async function parsing(): Promise<{ inProcess: number; throughRunner: number }> {
  const line = JSON.stringify({ event: 'progress', episodes: 123, positions: 4567 });
  const n = 1_000_000;
  let t = performance.now();
  for (let i = 0; i < n; i++) PROTOCOL_PARSERS.selfplay(line);
  const inProcess = n / ((performance.now() - t) / 1000);

  const dir = await mkdtemp(join(tmpdir(), 'loopdeck-bench-'));
  const script = join(dir, 'chatty.mjs');
  const lines = 400_000;
  await writeFile(
    script,
    `const l = ${JSON.stringify(`${line}\n`)}.repeat(1000); let left = ${lines / 1000}; function w() { while (left > 0) { left--; if (!process.stdout.write(l)) return process.stdout.once('drain', w); } process.exit(0); } w();`,
  );
  let count = 0;
  t = performance.now();
  await runProtocolProcess({
    name: 'chatty',
    command: [process.execPath, script],
    subcommand: 'selfplay',
    flags: { game: 'tictactoe', model: 'none', episodes: 1, sims: 1, 'temp-threshold': 0, seed: 1, 'actor-id': 1, out: dir },
    logFile: join(dir, 'chatty.log'),
    stallTimeoutMs: 30_000,
    onEvent: () => count++,
  });
  const throughRunner = count / ((performance.now() - t) / 1000);
  await rm(dir, { recursive: true, force: true });
  if (count !== lines) throw new Error(`parsed ${count} of ${lines} lines`);
  return { inProcess, throughRunner };
}

export async function main(args: string[] = process.argv.slice(2)): Promise<boolean> {
  const quick = args.includes('--quick');
  const o = await overhead(quick);
  const p = await parsing();
  // The target is for a ~30 s iteration; a quick run's share is larger and only informative.
  const overheadOk = quick || o.overheadShare < 0.02;
  const parseOk = p.throughRunner >= 100_000;
  console.log(
    `orchestration overhead: ${(o.overheadShare * 100).toFixed(2)}% of a ${o.iterationSeconds.toFixed(1)} s iteration outside child processes = ${(o.overheadShare * o.iterationSeconds * 1000).toFixed(0)} ms (target < 2% of a ~30 s iteration${quick ? '; quick mode: not judged' : ''}) ${quick ? '' : overheadOk ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `protocol lines/s: ${Math.round(p.throughRunner).toLocaleString('en')} through the process runner (child writing, pipe, parse and check); ${Math.round(p.inProcess).toLocaleString('en')} parse and check only (target >= 100,000) ${parseOk ? 'PASS' : 'FAIL'}`,
  );
  return overheadOk && parseOk;
}

if (import.meta.url === `file://${process.argv[1]}`) main().then((ok) => process.exit(ok ? 0 : 1));

/**
 * A run that lasts for days: a synthetic journal of 20,000 Connect Four iterations, written as the
 * orchestrator journals them (self-play, 8 loss points, an evaluation with its rated matches, a
 * promotion every sixth iteration), then read back as a resume reads it.
 *   npx tsx bench/longRun.ts [--iterations N]
 * Targets (#27): resume (read and fold the journal) under 5 s; the rating fit under 1 s.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../src/shared/config/defaults';
import type { RunEvent, UnstampedEvent } from '../src/shared/events';
import { referenceId, modelPlayerId, RANDOM_ID } from '../src/shared/players';
import { createRng } from '../src/shared/random';
import { expectedScore } from '../src/shared/ratings';
import { fitRunRatings } from '../src/shared/runRatings';
import { foldRunEvents } from '../src/shared/runState';
import type { EvalRecord, IterationStats, RatedGames } from '../src/shared/stats';
import { readJournal } from '../src/main/orchestrator/state/journal';
import { projectionsOf } from '../src/main/orchestrator/state/projections';
import { RatingFits } from '../src/main/orchestrator/evaluation/ratingFits';

/** The fit as the orchestrator makes it, in its worker: from nothing (a resume), then with one more match (each evaluation), and how long the event loop stalled during each. */
async function workerFit(rated: readonly RatedGames[]): Promise<{ cold: number; warm: number; coldStallMs: number; stallMs: number }> {
  const ratings = new RatingFits();
  let last = performance.now();
  let stallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  const t0 = performance.now();
  await ratings.fit(rated);
  const cold = (performance.now() - t0) / 1000;
  const coldStallMs = stallMs;
  stallMs = 0;
  last = performance.now();
  const t1 = performance.now();
  await ratings.fit([...rated, rated[rated.length - 1]!]);
  const warm = (performance.now() - t1) / 1000;
  clearInterval(ticker);
  await ratings.close();
  return { cold, warm, coldStallMs, stallMs };
}
import { RunPaths } from '../src/main/orchestrator/state/runPaths';
import { median } from './median';

const time = 'T';

/** The events of `iterations` iterations of a default Connect Four run, as JSON lines. */
export function syntheticJournal(iterations: number): string {
  const rng = createRng(7);
  const config = { ...defaultConfig('connect4', 'long'), runsDir: '/runs' };
  const lines: string[] = [];
  const push = (event: UnstampedEvent) => lines.push(JSON.stringify({ ...event, run: 'long', time }));
  push({ type: 'run.created', config, app_version: '0.1.0' } as RunEvent);
  push({ type: 'run.state', status: 'running', iteration: 1, message: 'starting' });
  const strength = (i: number) => 300 + 800 * (1 - Math.exp(-i / 2000));
  const match = (iteration: number, a: string, b: string, ea: number, eb: number, games: number, kind: RatedGames['kind']): RatedGames => {
    const half = () => {
      const p = expectedScore(ea, eb);
      const r = { wins: 0, draws: 0, losses: 0 };
      for (let g = 0; g < games / 2; g++) {
        const u = rng();
        if (u < p - 0.05) r.wins++;
        else if (u < p + 0.05) r.draws++;
        else r.losses++;
      }
      return r;
    };
    return { iteration, kind, a, b, a_first: half(), b_first: half(), file: `games/iter-${String(iteration).padStart(4, '0')}/${kind}.jsonl` };
  };
  let best = 1;
  let step = 0;
  for (let i = 1; i <= iterations; i++) {
    push({ type: 'iteration.started', iteration: i, sims: 200, selfplay_model: i > 1 ? best : null });
    for (const phase of ['selfplay', 'train', 'eval'] as const) {
      push({ type: 'phase.started', iteration: i, phase, total: 100 });
      if (phase === 'train')
        for (let p = 1; p <= 8; p++) {
          step += 50;
          push({ type: 'train.progress', point: { iteration: i, step, loss: 1.2 + rng() * 0.1, policy_loss: 0.9, value_loss: 0.3, lr: 0.002, samples_per_sec: 80_000, timestamp: time } });
        }
      push({ type: 'phase.completed', iteration: i, phase, seconds: 6 });
    }
    const me = modelPlayerId(i);
    const rated = [
      ...(i > 1 ? [match(i, me, modelPlayerId(best), strength(i), strength(best), 100, 'gate')] : []),
      match(i, me, RANDOM_ID, strength(i), 0, 100, 'random'),
      ...[3, 10].filter((k) => i - k >= 1).map((k) => match(i, me, modelPlayerId(i - k), strength(i), strength(i - k), 20, 'ladder')),
      match(i, me, referenceId(`alphabeta:${[2, 4, 6][i % 3]!}`), strength(i), [600, 680, 760][i % 3]!, 20, 'ladder'),
    ];
    for (const games of rated) push({ type: 'games.rated', games });
    const promoted = i === 1 || i % 6 === 0;
    const record: EvalRecord = {
      iteration: i,
      step,
      vs_champion_iteration: i > 1 ? best : null,
      vs_champion: null,
      vs_random: { wins: 99, draws: 0, losses: 1, games: 100, win_rate: 0.99, draw_rate: 0, score: 0.99 },
      gate_threshold: 0.55,
      promoted,
      promotion_reason: promoted ? 'score 0.600 > gate 0.55' : 'score 0.500 <= gate 0.55',
      accuracy: { set: 'connect4-v1', positions: 600, rate: 0.95, by_stage: {}, missed: Array.from({ length: 30 }, (_, k) => `4453${k}`), regressions: [] },
      ladder: { played: [], skipped: [] },
      seconds: 6,
      timestamp: time,
    } as unknown as EvalRecord;
    push({ type: 'eval.completed', record });
    const stats = {
      iteration: i,
      episodes: 2000,
      transitions: 48_000,
      steps: 400,
      sims: 200,
      actor_time: 8,
      trainer_time: 6,
      eval_time: 6,
      total_time: 20,
      eval_win_rate: 0.5,
      eval_draw_rate: 0.1,
      vs_random_win_rate: 0.99,
      final_loss: 1.2,
      promoted,
      timestamp: time,
      bytes_written: { selfplay: 2_200_000, train: 1_640_000, eval: 200_000 },
    } satisfies IterationStats;
    push({ type: 'iteration.completed', stats });
    if (promoted) {
      push({
        type: 'best.changed',
        entry: { iteration: i, promoted_at: time, reason: i === 1 ? 'initial' : 'gate', by: 'orchestrator', score: 0.6, note: 'score 0.600 > gate 0.55' },
        model_path: `models/iter-${i}.onnx`,
      } as RunEvent);
      best = i;
    }
    if (i > 50) push({ type: 'files.deleted', iteration: i, paths: [`replay/iter-${i - 50}`], bytes: 2_200_000 });
  }
  return `${lines.join('\n')}\n`;
}

export async function main(args: string[] = process.argv.slice(2)): Promise<boolean> {
  const at = args.indexOf('--iterations');
  const iterations = at >= 0 ? Number(args[at + 1]) : 20_000;
  const dir = await mkdtemp(join(tmpdir(), 'loopdeck-long-'));
  const paths = new RunPaths(dir, 'long');
  try {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(paths.root, { recursive: true });
    await writeFile(paths.events, syntheticJournal(iterations));
    const bytes = (await stat(paths.events)).size;
    const resumes: number[] = [];
    let state = foldRunEvents('long', []);
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      state = foldRunEvents('long', (await readJournal(paths.events)).events);
      resumes.push((performance.now() - t) / 1000);
    }
    const fits: number[] = [];
    let fitted = fitRunRatings(state.rated);
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      fitted = fitRunRatings([...state.rated]);
      fits.push((performance.now() - t) / 1000);
    }
    const inWorker = await workerFit(state.rated);
    const t = performance.now();
    const projections = projectionsOf(state, paths, fitted);
    const projectionSeconds = (performance.now() - t) / 1000;
    const projectionBytes = projections.reduce((sum, p) => sum + JSON.stringify(p.content).length, 0);
    const resume = median(resumes);
    const fit = median(fits);
    console.log(
      `long run: ${iterations.toLocaleString('en')} iterations, journal ${(bytes / 1e6).toFixed(0)} MB (${(bytes / iterations / 1000).toFixed(1)} kB an iteration), ${state.rated.length.toLocaleString('en')} rated matches`,
    );
    console.log(`  resume (read and fold the journal): median ${resume.toFixed(2)} s of 3 (target < 5 s) ${resume < 5 ? 'PASS' : 'FAIL'}`);
    console.log(
      `  rating fit in the orchestrator's worker thread: ${inWorker.cold.toFixed(2)} s from nothing (the event loop's longest stall meanwhile ${inWorker.coldStallMs.toFixed(0)} ms, sending every match), ${inWorker.warm.toFixed(2)} s after one more match (longest stall ${inWorker.stallMs.toFixed(0)} ms)`,
    );
    console.log(`  rating fit: median ${fit.toFixed(2)} s of 3 (target < 1 s) ${fit < 1 ? 'PASS' : 'FAIL'}`);
    console.log(`  projections: ${projectionSeconds.toFixed(2)} s to compute, ${(projectionBytes / 1e6).toFixed(1)} MB of JSON`);
    return resume < 5 && fit < 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main().then((ok) => process.exit(ok ? 0 : 1));

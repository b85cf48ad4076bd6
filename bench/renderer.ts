/// <reference lib="dom" />
/**
 * Renderer speed and memory, in Chromium, on the built renderer with a fake
 * preload bridge (window.loopdeck) injected before the page loads:
 * - the time from the frame that applies a batch of events to the DOM being
 *   updated, on the dashboard of a 2,000-iteration run (the window holds its bounded history,
 *   history.ts) (target < 16 ms), and the longest frame while the charts catch up;
 * - the JS heap after 200,000 log lines have streamed through (target < 150 MB).
 *   npx tsx bench/renderer.ts   (needs `npm run build` first)
 */
import { defaultConfig } from '../src/shared/config/defaults';
import type { LoopConfig } from '../src/shared/config/fields';
import type { BestModelEntry, RatedGames, RunSummary } from '../src/shared/stats';
import type { RunSnapshot } from '../src/shared/runState';
import { bundledDeclaration } from '../src/shared/games/declaration';
import { strideOf } from '../src/shared/keptIterations';
import { IncrementalRatingFitter, type PortableFit } from '../src/shared/ratingFitter';
import type { GameDeclaration } from '../src/shared/protocol';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { serveStatic } from '../src/main/server/staticFiles';
import { median } from './median';

const RENDERER = resolve(import.meta.dirname, '../out/renderer');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--js-flags=--expose-gc'];

/**
 * Runs in the page before the app: a LoopdeckClient with a 2,000-iteration run. It is serialised
 * into the page, so it may use only its argument, never this module's imports.
 */
function fakeBridge({ iterations, baseConfig, game, ratings }: { iterations: number; baseConfig: LoopConfig; game: GameDeclaration; ratings: PortableFit }) {
  const listeners = new Set<(e: unknown) => void>();
  const its = [];
  const evals = [];
  const loss = [];
  for (let i = 1; i <= iterations; i++) {
    its.push({
      iteration: i,
      episodes: 400,
      transitions: 12000,
      steps: 1000,
      sims: 200,
      actor_time: 30,
      trainer_time: 60,
      eval_time: 10,
      total_time: 100,
      eval_win_rate: 0.5,
      eval_draw_rate: 0.1,
      vs_random_win_rate: 0.95,
      final_loss: 1 / Math.sqrt(i),
      promoted: i % 7 === 0,
      timestamp: new Date(Date.UTC(2026, 0, 1) + i * 100_000).toISOString(),
    });
    const m = (s: number) => ({ wins: Math.round(s * 40), draws: 0, losses: 40 - Math.round(s * 40), games: 40, win_rate: s, draw_rate: 0, score: s });
    evals.push({
      iteration: i,
      step: i * 1000,
      vs_champion_iteration: i > 1 ? i - 1 : null,
      vs_champion: i > 1 ? m(0.45 + 0.1 * Math.sin(i)) : null,
      vs_random: m(Math.min(1, 0.5 + i / 4000)),
      gate_threshold: 0.55,
      promoted: i % 7 === 0,
      promotion_reason: '',
      seconds: 10,
      timestamp: its[i - 1]!.timestamp,
    });
    loss.push({
      iteration: i,
      step: i * 1000,
      loss: 2 / Math.sqrt(i),
      policy_loss: 1.5 / Math.sqrt(i),
      value_loss: 0.5 / Math.sqrt(i),
      lr: 0.002,
      samples_per_sec: 6000,
      timestamp: its[i - 1]!.timestamp,
    });
  }
  const best: BestModelEntry = { iteration: 1, promoted_at: its[0]!.timestamp, reason: 'initial', by: 'orchestrator', score: null, note: '' };
  const config = { ...baseConfig, iterations: iterations + 100 };
  const summary: RunSummary = {
    name: 'big',
    game: 'connect4',
    status: 'running',
    iterations_done: iterations,
    iterations_target: iterations + 100,
    minutes_done: iterations,
    time_budget_minutes: 0,
    best_iteration: 1,
    last_vs_best: 0.5,
    last_vs_random: 0.95,
    created_at: its[0]!.timestamp,
    updated_at: its[iterations - 1]!.timestamp,
  };
  const snapshot: RunSnapshot = {
    summary,
    state: {
      name: summary.name,
      config,
      game,
      created_at: summary.created_at,
      updated_at: summary.updated_at,
      status: 'running',
      current_iteration: null,
      phases: [],
      iterations: its,
      evaluations: evals,
      loss,
      parent: null,
      provenance: null,
      experiment: null,
      best: { ...best, model_path: 'models/iter-0001.onnx', history: [best] },
      error: null,
      deleted_bytes: 0,
      recent_deletions: [],
      rated_through: 0,
      omitted: { iterations: 0, seconds: 0, candidates: 0, promotions: 0 },
      rated: [],
      config_changes: [],
    },
    logs: { [String(iterations + 1)]: ['actor-1'] },
    pending_best_change: null,
    matches: [],
    ratings,
  };
  // A whole Connect Four game (legal, 40 moves) with a search per move, for the game viewer.
  const moves = [7, 2, 4, 1, 1, 6, 1, 1, 7, 2, 2, 6, 7, 1, 4, 2, 3, 5, 5, 7, 2, 1, 7, 4, 5, 4, 6, 6, 5, 7, 3, 4, 3, 2, 6, 6, 4, 5, 5, 3];
  const record = {
    kind: 'gate',
    iteration: 1,
    players: ['iter-0001', 'iter-0000'],
    opening: 3,
    moves,
    result: 'second',
    search: moves.map((m, i) =>
      i < 3 ? null : { visits: [10, 20, 30, 60, 30, 20, 10].map((v, a) => (a + 1 === m ? v + 40 : v)), prior: [0.1, 0.1, 0.2, 0.3, 0.1, 0.1, 0.1], value: Math.sin(i / 5) },
    ),
  };
  const reply = (v: unknown) => Promise.resolve(JSON.parse(JSON.stringify(v)));
  (window as unknown as { loopdeck: unknown }).loopdeck = {
    listRuns: () => reply([summary]),
    runsFolder: () => reply('/runs'),
    diskUsage: () => reply({ run_bytes: 1e9, free_bytes: 5e10, growth_bytes_per_hour: 2e7, hours_left: 2500 }),
    // Connect Four boards as the engine would draw them: each digit drops a piece in its column.
    showPositions: (_run: string, positions: string[]) =>
      reply(
        positions.map((position) => {
          const rows = Array.from({ length: 6 }, () => Array(7).fill('.'));
          [...position].forEach((digit, ply) => {
            const col = Number(digit) - 1;
            const row = rows.map((r) => r[col]).lastIndexOf('.');
            rows[row]![col] = ply % 2 === 0 ? 'x' : 'o';
          });
          return { position, board: rows.map((r) => r.join('')), to_move: (position.length % 2) + 1, legal: [1, 2, 3, 4, 5, 6, 7], result: null };
        }),
      ),
    getRun: () => reply(snapshot),
    readLog: () => reply({ lines: [], next_offset: 0, size: 0 }),
    listGames: () => reply([{ file: 'gate.jsonl', kind: 'gate', games: 1 }]),
    readGames: () => reply({ iteration: 1, file: 'gate.jsonl', records: [record], skipped: [] }),
    onEvent: (l: (e: unknown) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  (window as unknown as { __push: (events: unknown[]) => void }).__push = (events) => {
    for (const e of events) for (const l of listeners) l(e);
  };
}

/** The fit the orchestrator sends with the snapshot: each iteration rated against random and the one before, 2,000 models. */
function windowFit(iterations: number): PortableFit {
  const rated = ratedGames(iterations);
  const fitter = new IncrementalRatingFitter();
  fitter.apply({ reset: true, append: rated, kept: null });
  return fitter.fit({ last: iterations, stride: strideOf(iterations), best: [1] });
}

function ratedGames(iterations: number): RatedGames[] {
  return Array.from({ length: iterations }, (_, k) => ({ iteration: k + 1 })).flatMap((s): RatedGames[] => [
    {
      iteration: s.iteration,
      kind: 'random' as const,
      a: `iter-${String(s.iteration).padStart(4, '0')}`,
      b: 'random',
      a_first: { wins: 9, draws: 0, losses: 1 },
      b_first: { wins: 8, draws: 1, losses: 1 },
    },
    ...(s.iteration > 1
      ? [
          {
            iteration: s.iteration,
            kind: 'gate' as const,
            a: `iter-${String(s.iteration).padStart(4, '0')}`,
            b: `iter-${String(s.iteration - 1).padStart(4, '0')}`,
            a_first: { wins: 6, draws: 1, losses: 3 },
            b_first: { wins: 5, draws: 1, losses: 4 },
          },
        ]
      : []),
  ]);
}

export async function main(): Promise<boolean> {
  if (!existsSync(resolve(RENDERER, 'index.html'))) {
    console.log('renderer bench skipped: run "npm run build" first');
    return true;
  }
  const server = createServer((req, res) => void serveStatic(RENDERER, new URL(req.url ?? '/', 'http://x').pathname, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const ITER = 2000;
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('console', (m) => m.type() === 'error' && console.error('page console:', m.text()));
  // tsx keeps function names with a __name helper that the page does not have.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.addInitScript(fakeBridge, { iterations: ITER, baseConfig: defaultConfig('connect4', 'big'), game: bundledDeclaration('connect4'), ratings: windowFit(ITER) });
  await page.goto(`http://127.0.0.1:${port}/#/run/big`);
  await page
    .getByText(new RegExp(`^${ITER} iterations|^${ITER} / ${ITER + 100} iterations`))
    .waitFor({ timeout: 60_000 })
    .catch(async (error) => {
      throw new Error(`the dashboard did not show the run; the page reads: ${((await page.locator('body').textContent()) ?? '').slice(0, 400)}`, { cause: error });
    });

  const samples: number[] = [];
  const allSamples: number[] = [];
  const frameSamples: number[] = [];
  for (let k = 0; k < 15; k++) {
    const ms = await page.evaluate(
      async ({ k, ITER }) => {
        const i = ITER + k + 1;
        const t = new Date().toISOString();
        const m = (s: number) => ({ wins: 30, draws: 0, losses: 10, games: 40, win_rate: s, draw_rate: 0, score: s });
        const events = [
          { type: 'phase.progress', run: 'big', time: t, progress: { iteration: i, phase: 'eval', done: 40, total: 80, eta_seconds: 5, rates: { games_per_sec: 8 } } },
          { type: 'train.progress', run: 'big', time: t, point: { iteration: i, step: i * 1000, loss: 0.5, policy_loss: 0.4, value_loss: 0.1, lr: 0.002, samples_per_sec: 6000, timestamp: t } },
          {
            type: 'eval.completed',
            run: 'big',
            time: t,
            record: {
              iteration: i,
              step: i * 1000,
              vs_champion_iteration: i - 1,
              vs_champion: m(0.75),
              vs_random: m(0.98),
              gate_threshold: 0.55,
              promoted: true,
              promotion_reason: '',
              seconds: 10,
              timestamp: t,
            },
          },
          {
            type: 'iteration.completed',
            run: 'big',
            time: t,
            stats: {
              iteration: i,
              episodes: 400,
              transitions: 12000,
              steps: 1000,
              sims: 200,
              actor_time: 30,
              trainer_time: 60,
              eval_time: 10,
              total_time: 100,
              eval_win_rate: 0.75,
              eval_draw_rate: 0,
              vs_random_win_rate: 0.98,
              final_loss: 0.5,
              promoted: false,
              timestamp: t,
            },
          },
          {
            type: 'games.rated',
            run: 'big',
            time: t,
            games: {
              iteration: i,
              kind: 'gate',
              a: `iter-${String(i).padStart(4, '0')}`,
              b: `iter-${String(i - 1).padStart(4, '0')}`,
              a_first: { wins: 6, draws: 1, losses: 3 },
              b_first: { wins: 5, draws: 1, losses: 4 },
            },
          },
          { type: 'log.lines', run: 'big', time: t, iteration: i, process: 'actor-1', lines: Array.from({ length: 100 }, (_, j) => `line ${j}`) },
        ];
        let last = 0;
        let firstCommit = 0;
        // The batch's first commit outside the charts (progress, summary, table); the charts follow in later frames.
        const inChart = (node: Node) => (node instanceof Element ? node : node.parentElement)?.closest('.recharts-wrapper') != null;
        const observer = new MutationObserver((records) => {
          last = performance.now();
          if (!firstCommit && records.some((r) => !inChart(r.target))) firstCommit = last;
        });
        // Frame timestamps during the update: the longest gap is the worst frame.
        const frames: number[] = [];
        let watching = true;
        const tick = (t: number) => {
          frames.push(t);
          if (watching) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        // Our frame callback runs first in the frame that applies the batch: the clock starts there.
        const start = await new Promise<number>((resolveStart) => {
          requestAnimationFrame(() => resolveStart(performance.now()));
          (window as unknown as { __push: (e: unknown[]) => void }).__push(events);
        });
        await new Promise((r) => setTimeout(r, 400));
        watching = false;
        observer.disconnect();
        let worstFrame = 0;
        for (let f = 1; f < frames.length; f++) worstFrame = Math.max(worstFrame, frames[f]! - frames[f - 1]!);
        return { all: last - start, first: (firstCommit || last) - start, worstFrame };
      },
      { k, ITER },
    );
    samples.push(ms.first);
    allSamples.push(ms.all);
    frameSamples.push(ms.worstFrame);
  }
  samples.sort((a, b) => a - b);
  const batchMedian = median(samples);

  // The game viewer: a step (arrow key) until the board shows the move.
  await page.getByRole('table', { name: 'Models' }).locator('tbody tr').first().getByRole('button', { name: 'Games' }).click();
  await page.getByRole('grid', { name: 'Board' }).waitFor();
  const stepMs = await page.evaluate(async () => {
    const grid = document.querySelector('[role="grid"][aria-label="Board"]')!;
    const times: number[] = [];
    for (let k = 0; k < 40; k++) {
      const changed = new Promise<number>((done) => {
        const observer = new MutationObserver(() => {
          observer.disconnect();
          done(performance.now());
        });
        observer.observe(grid, { subtree: true, attributes: true, childList: true, characterData: true });
      });
      const start = performance.now();
      document.querySelector('[role="dialog"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      times.push((await changed) - start);
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    }
    return times.sort((a, b) => a - b);
  });
  await page.keyboard.press('Escape');
  const stepMedian = median(stepMs);

  // 200,000 log lines through the open run's live log, 2,000 at a time.
  const heapMb = await page.evaluate(async () => {
    for (let b = 0; b < 100; b++) {
      const lines = Array.from({ length: 2000 }, (_, j) => `[selfplay] game ${b * 2000 + j}: 4453322115667 -> a win, 64 simulations, value 0.73`);
      (window as unknown as { __push: (e: unknown[]) => void }).__push([{ type: 'log.lines', run: 'big', time: new Date().toISOString(), iteration: 2001, process: 'actor-1', lines }]);
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    }
    (globalThis as unknown as { gc?: () => void }).gc?.();
    return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize / 2 ** 20;
  });
  await browser.close();
  server.close();
  const okTime = batchMedian < 16;
  const okStep = stepMedian < 16;
  const okHeap = heapMb < 150;
  console.log(
    `apply a batch of events and render it (store, state, table), a 2,000-iteration run: median ${batchMedian.toFixed(1)} ms, min ${samples[0]!.toFixed(1)}, max ${samples.at(-1)!.toFixed(1)} over ${samples.length} batches (target < 16 ms) ${okTime ? 'PASS' : 'FAIL'}`,
  );
  console.log(`  charts caught up (deferred, interruptible): median ${median(allSamples).toFixed(1)} ms; longest frame during the update: median ${median(frameSamples).toFixed(1)} ms`);
  console.log(
    `game viewer: a step through a 40-move Connect Four game until the board shows it: median ${stepMedian.toFixed(1)} ms, max ${stepMs.at(-1)!.toFixed(1)} over ${stepMs.length} steps (target < 16 ms) ${okStep ? 'PASS' : 'FAIL'}`,
  );
  console.log(`JS heap after 200,000 log lines streamed: ${heapMb.toFixed(1)} MB (target < 150 MB) ${okHeap ? 'PASS' : 'FAIL'}`);
  return okTime && okHeap && okStep;
}

if (import.meta.url === `file://${process.argv[1]}`) main().then((ok) => process.exit(ok ? 0 : 1));

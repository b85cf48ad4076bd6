import type { LoopdeckClient } from '../../src/shared/api';
import { defaultConfig } from '../../src/shared/config/defaults';
import type { RunEvent } from '../../src/shared/events';
import { runSnapshot } from '../../src/shared/history';
import { type RunState, runView } from '../../src/shared/runState';
import type { EvalRecord, IterationStats, RatedGames, RunStatus, RunSummary } from '../../src/shared/stats';
import type { RunSnapshot } from '../../src/shared/runState';
import { bundledDeclaration, bundledDeclarations } from '../../src/shared/games/declaration';
import { boardAnswer } from '../../src/shared/boards';
import { GAME_SPECS, type GameId } from '../../src/shared/games';

export function iterationStats(iteration: number, promoted = false): IterationStats {
  return {
    iteration,
    episodes: 10,
    transitions: 70,
    steps: 5,
    sims: 16,
    actor_time: 1,
    trainer_time: 1,
    eval_time: 1,
    total_time: 3,
    eval_win_rate: 0.5,
    eval_draw_rate: 0.2,
    vs_random_win_rate: 0.9,
    final_loss: 1.2,
    promoted,
    timestamp: `2026-01-01T00:00:0${iteration}.000Z`,
  };
}

/** The rated games of a run whose best model (iteration 1) won `wins` of 20 games against random, half moving first. */
export function bestAgainstRandom(wins: number): RatedGames {
  const half = { wins: wins / 2, draws: 0, losses: 10 - wins / 2 };
  return { iteration: 1, kind: 'random', a: 'iter-0001', b: 'random', a_first: half, b_first: { ...half } };
}

export function evalRecord(iteration: number, score: number): EvalRecord {
  const games = 10;
  const m = (s: number) => ({ wins: Math.round(s * games), draws: 0, losses: games - Math.round(s * games), games, win_rate: s, draw_rate: 0, score: s });
  return {
    iteration,
    step: iteration * 5,
    vs_champion_iteration: iteration > 1 ? iteration - 1 : null,
    vs_champion: iteration > 1 ? m(score) : null,
    vs_random: m(0.9),
    gate_threshold: 0.55,
    promoted: score > 0.55,
    promotion_reason: '',
    seconds: 1,
    timestamp: `2026-01-01T00:00:0${iteration}.000Z`,
  };
}

export function snapshot(name = 'r1', iterations = 2, status: RunStatus = 'running'): RunSnapshot {
  const its = Array.from({ length: iterations }, (_, i) => iterationStats(i + 1, i === 0));
  const best = { iteration: 1, promoted_at: '2026-01-01T00:00:01.000Z', reason: 'initial' as const, by: 'orchestrator', score: null, note: '', model_path: 'models/iter-0001.onnx' };
  const summary: RunSummary = {
    name,
    game: 'tictactoe',
    status,
    iterations_done: iterations,
    iterations_target: 5,
    minutes_done: 0,
    time_budget_minutes: 0,
    best_iteration: 1,
    last_vs_best: null,
    last_vs_random: 0.9,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  };
  const state: RunState = {
    name,
    config: { ...defaultConfig('tictactoe', name), iterations: 5 },
    game: bundledDeclaration('tictactoe'),
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    status,
    current_iteration: null,
    phases: [],
    iterations: its,
    evaluations: its.map((s) => evalRecord(s.iteration, 0.6)),
    loss: [{ iteration: 1, step: 5, loss: 2, policy_loss: 1.5, value_loss: 0.5, lr: 0.002, samples_per_sec: 1000, timestamp: 't' }],
    rated: [],
    config_changes: [],
    parent: null,
    provenance: null,
    experiment: null,
    best: { ...best, history: [best] },
    error: null,
    deleted_bytes: 0,
    recent_deletions: [],
    rated_through: 0,
    omitted: { iterations: 0, seconds: 0, candidates: 0, promotions: 0 },
  };
  return runSnapshot(runView(state, summary, { logs: { '1': ['actor-1', 'trainer'] }, pending_best_change: null, matches: [] }), null);
}

const experimentStatus = { name: '', cells: 4, seeds: 2, runs: 8, parallel: 2, compute: 'equal time: 1 minutes a run', machine_minutes: 8, done: 0, running: false, failed: [] };

/** An in-memory LoopdeckClient: records calls, serves given snapshots, pushes events on demand. */
export function fakeClient(snapshots: Record<string, RunSnapshot> = { r1: snapshot() }) {
  const listeners = new Set<(e: RunEvent) => void>();
  const calls: [string, ...unknown[]][] = [];
  const record =
    <T>(name: string, value: T) =>
    (...args: unknown[]) => {
      calls.push([name, ...args]);
      // A value function that throws rejects, as a real client's call would, never throws at the caller.
      return new Promise((resolve) => resolve(typeof value === 'function' ? (value as (...a: unknown[]) => unknown)(...args) : value));
    };
  const client: LoopdeckClient = {
    runsFolder: record('runsFolder', '/home/ada/loopdeck/runs'),
    diskUsage: record('diskUsage', { run_bytes: 1_230_000_000, free_bytes: 8_200_000_000, growth_bytes_per_hour: 410_000_000, hours_left: 20 }),
    listRuns: record('listRuns', () => Object.values(snapshots).map((s) => s.summary)),
    getRun: record('getRun', (name: unknown) => structuredClone(snapshots[name as string]!)),
    listExperiments: record('listExperiments', []),
    startScale: record('startScale', () => {
      throw new Error('no scale in the fake client');
    }),
    getScale: record('getScale', () => {
      throw new Error('no scale in the fake client');
    }),
    startExperiment: record('startExperiment', (spec: unknown) => ({ ...experimentStatus, name: (spec as { name: string }).name, running: true })),
    stopExperiment: record('stopExperiment', (name: unknown) => ({ ...experimentStatus, name })),
    resumeExperiment: record('resumeExperiment', (name: unknown) => ({ ...experimentStatus, name, running: true })),
    getIterations: record('getIterations', (name: unknown, from: unknown, to: unknown) => {
      const { state, ratings } = snapshots[name as string]!;
      const inRange = (i: number) => i >= (from as number) && i <= (to as number);
      return {
        iterations: state.iterations.filter((s) => inRange(s.iteration)),
        evaluations: state.evaluations.filter((e) => inRange(e.iteration)),
        ratings: (ratings?.players ?? []).filter((p) => p.id.startsWith('iter-') && inRange(Number(p.id.slice(5)))),
      };
    }),
    startRun: record('startRun', (config: unknown) => ({ ...snapshot((config as { name: string }).name).summary })),
    resumeRun: record('resumeRun', (name: unknown) => snapshots[name as string]!.summary),
    stopRun: record('stopRun', (name: unknown) => snapshots[name as string]!.summary),
    promote: record('promote', (_n: unknown, iteration: unknown) => ({ iteration })),
    revert: record('revert', () => ({ iteration: 1 })),
    readLog: record('readLog', () => ({ lines: ['old line 1', 'old line 2'], next_offset: 22, size: 22 })),
    validateConfig: record('validateConfig', () => ({ ok: true })),
    listGames: record('listGames', () => []),
    readGames: record('readGames', (_n: unknown, iteration: unknown, file: unknown) => ({ iteration, file, records: [], skipped: [] })),
    showPositions: record('showPositions', (name: unknown, positions: unknown) =>
      (positions as string[]).map((p) => boardAnswer(GAME_SPECS[snapshots[name as string]!.state.config.game as GameId], p)),
    ),
    engineGames: record('engineGames', () => bundledDeclarations()),
    bestMove: record('bestMove', (_n: unknown, _i: unknown, position: unknown) => ({ position, move: 1, policy: [], value: 0 })),
    startMatch: record('startMatch', () => ({})),
    stopMatch: record('stopMatch', () => ({})),
    changeSettings: record('changeSettings', () => ({ changes: {}, from_iteration: 1, pending: false })),
    forkRun: record('forkRun', (_n: unknown, _i: unknown, request: unknown) => snapshot((request as { name: string }).name).summary),
    onEvent: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as LoopdeckClient;
  return {
    client,
    calls,
    push: (e: RunEvent) => {
      for (const l of listeners) l(e);
    },
  };
}

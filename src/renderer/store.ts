/**
 * The renderer's state (zustand): the runs list, the open run, its live logs.
 * The open run is the shared fold (applyRunEvent) of its snapshot and the
 * events after it, so a window opened mid-run shows what a window that
 * watched from the start shows. Events are queued and applied at most once
 * per animation frame; logs are bounded rings, and a long run's history is
 * bounded as the snapshot's is (history.ts).
 */
import { create } from 'zustand';
import type { ForkRunRequest, LoopdeckClient } from '../shared/api';
import type { LoopConfigInput } from '../shared/config/fields';
import type { ExperimentSpec } from '../shared/experiments/plan';
import type { RunEvent } from '../shared/events';
import type { MatchRequest, MatchState } from '../shared/matches';
import { boundedHistory, outgrown } from '../shared/history';
import { fromPortable } from '../shared/ratingFitter';
import type { RatingFit } from '../shared/ratings';
import { applyRunEvent, runSummary, type RunState } from '../shared/runState';
import type { RunSnapshot } from '../shared/runState';
import type { RunSummary } from '../shared/stats';
import type { ConnectionStatus } from './api/wsClient';

export const LOG_RING_LINES = 5000;

export interface LogRing {
  lines: string[];
  /** Lines received in total (lines.length is capped). */
  received: number;
}

export interface OpenRun {
  /** The run's bounded history (history.ts): a long run's every stride-th, last and best iterations. */
  run: RunState;
  /** The orchestrator's rating fit of the run's kept players, replaced by each ratings.fitted. */
  ratings: RatingFit;
  logsIndex: Record<string, string[]>;
  pending: RunSnapshot['pending_best_change'];
  /** Head-to-head matches, newest last, updated live by match.updated. */
  matches: MatchState[];
}

export interface LoopdeckState {
  connection: ConnectionStatus;
  /** The folder whose runs are listed (null until it is known). */
  runsFolder: string | null;
  runs: RunSummary[];
  open: OpenRun | null;
  logs: Record<string, LogRing>;
  notice: string | null;
}

const initial: LoopdeckState = { connection: 'connecting', runsFolder: null, runs: [], open: null, logs: {}, notice: null };

export const useStore = create<LoopdeckState>(() => initial);

/** Logs are kept per run, iteration and process: two open runs never mix their lines. */
export const logKey = (run: string, iteration: number, process: string) => `${run}\u0000${iteration}:${process}`;

/** Apply a batch of events to a state (pure; exported for tests and the benchmark). */
export function reduceEvents(state: LoopdeckState, events: readonly RunEvent[]): LoopdeckState {
  let { open, logs, runs } = state;
  let logsChanged = false;
  let runsChanged = false;
  for (const event of events) {
    if (event.type === 'log.lines') {
      if (!logsChanged) logs = { ...logs };
      logsChanged = true;
      const key = logKey(event.run, event.iteration, event.process);
      const ring = logs[key] ?? { lines: [], received: 0 };
      const lines = ring.lines.concat(event.lines);
      logs[key] = { lines: lines.length > LOG_RING_LINES ? lines.slice(lines.length - LOG_RING_LINES) : lines, received: ring.received + event.lines.length };
      if (open && open.run.name === event.run && !open.logsIndex[String(event.iteration)]?.includes(event.process)) {
        const list = [...(open.logsIndex[String(event.iteration)] ?? []), event.process].sort();
        open = { ...open, logsIndex: { ...open.logsIndex, [String(event.iteration)]: list } };
      }
      continue;
    }
    if (event.type === 'match.updated') {
      if (open && open.run.name === event.run) {
        const others = open.matches.filter((m) => m.id !== event.match.id);
        open = { ...open, matches: [...others, event.match].sort((a, b) => a.started_at.localeCompare(b.started_at)) };
      }
      continue;
    }
    if (open && open.run.name === event.run) {
      if (event.type === 'ratings.fitted') {
        open = { ...open, ratings: fromPortable(event.fit) };
        continue;
      }
      // A loss point the snapshot already holds is not added twice. Rated matches are the
      // orchestrator's to fit (ratings.fitted): the window keeps none.
      const last = open.run.loss[open.run.loss.length - 1];
      const skip = (event.type === 'train.progress' && last && event.point.step <= last.step) || event.type === 'games.rated';
      if (!skip) open = { ...open, run: applyRunEvent(open.run, event) };
      if (event.type === 'iteration.completed' && outgrown(open.run)) open = { ...open, run: boundedHistory(open.run) };
      if (event.type === 'best.changed') open = { ...open, pending: null };
    }
    if (event.type === 'run.state' || event.type === 'iteration.completed' || event.type === 'eval.completed' || event.type === 'best.changed' || event.type === 'run.created') {
      const index = runs.findIndex((r) => r.name === event.run);
      if (!runsChanged) runs = [...runs];
      runsChanged = true;
      if (open && open.run.name === event.run) {
        const summary = runSummary(open.run);
        if (index >= 0) runs[index] = summary;
        else runs.unshift(summary);
      } else if (index >= 0 && event.type === 'run.state') {
        runs[index] = { ...runs[index]!, status: event.status };
      }
    }
  }
  return { ...state, open, logs, runs };
}

let client: LoopdeckClient | null = null;
let queue: RunEvent[] = [];
let scheduled = false;
const schedule: (fn: () => void) => void = (fn) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => fn()) : setTimeout(fn, 16));

function flush(): void {
  scheduled = false;
  const batch = queue;
  queue = [];
  if (batch.length) useStore.setState((s) => reduceEvents(s, batch));
}

export function enqueueEvent(event: RunEvent): void {
  queue.push(event);
  if (!scheduled) {
    scheduled = true;
    schedule(flush);
  }
}

/** Apply queued events now (tests, and before reading state after an action). */
export function flushEvents(): void {
  if (queue.length) flush();
}

export function connectStore(api: LoopdeckClient, onStatus?: (l: (s: ConnectionStatus) => void) => () => void): () => void {
  client = api;
  const unsubscribe = api.onEvent(enqueueEvent);
  const unStatus = onStatus?.((connection) => {
    const wasClosed = useStore.getState().connection === 'closed';
    useStore.setState({ connection });
    // After a reconnect the events in between were missed: reload.
    if (connection === 'open' && wasClosed) void refresh();
  });
  return () => {
    unsubscribe();
    unStatus?.();
    client = null;
  };
}

function api(): LoopdeckClient {
  if (!client) throw new Error('the store is not connected to the API');
  return client;
}

export function resetStore(): void {
  queue = [];
  scheduled = false;
  useStore.setState(initial, true);
}

export async function loadRuns(): Promise<void> {
  const [runsFolder, runs] = await Promise.all([api().runsFolder(), api().listRuns()]);
  useStore.setState({ runsFolder, runs });
}

export async function openRun(name: string): Promise<void> {
  const snapshot = await api().getRun(name);
  flushEvents();
  useStore.setState({
    open: {
      run: snapshot.state,
      ratings: fromPortable(snapshot.ratings),
      logsIndex: snapshot.logs,
      pending: snapshot.pending_best_change,
      matches: snapshot.matches,
    },
  });
}

export function closeRun(): void {
  useStore.setState({ open: null });
}

export async function refresh(): Promise<void> {
  await loadRuns();
  const open = useStore.getState().open;
  if (open) await openRun(open.run.name);
}

export function notify(notice: string | null): void {
  useStore.setState({ notice });
}

async function withNotice<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    const result = await work();
    notify(null);
    return result;
  } catch (error) {
    notify(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

export const actions = {
  stop: (name: string) =>
    withNotice(async () => {
      await api().stopRun(name);
      await openRun(name);
    }),
  resume: (name: string) =>
    withNotice(async () => {
      await api().resumeRun(name);
      await openRun(name);
    }),
  /** `seenBest`: the best model the user saw when confirming; if it changed meanwhile, nothing changes and the notice says why. */
  promote: (name: string, iteration: number, seenBest: number | null) =>
    withNotice(async () => {
      useStore.setState((s) => (s.open ? { open: { ...s.open, pending: { action: 'promote', iteration } } } : {}));
      try {
        await api().promote(name, iteration, seenBest);
      } finally {
        await openRun(name);
      }
    }),
  revert: (name: string, seenBest: number | null) =>
    withNotice(async () => {
      useStore.setState((s) => (s.open ? { open: { ...s.open, pending: { action: 'revert', iteration: null } } } : {}));
      try {
        await api().revert(name, seenBest);
      } finally {
        await openRun(name);
      }
    }),
  readLog: (name: string, iteration: number, process: string, offset: number) => api().readLog(name, iteration, process, offset),
  startRun: (config: Parameters<LoopdeckClient['startRun']>[0]) => api().startRun(config),
  getRun: (name: string) => api().getRun(name),
  getIterations: (name: string, from: number, to: number) => api().getIterations(name, from, to),
  diskUsage: (name: string) => api().diskUsage(name),
  listGames: (name: string, iteration: number) => api().listGames(name, iteration),
  readGames: (name: string, iteration: number, file: string) => api().readGames(name, iteration, file),
  bestMove: (name: string, iteration: number, position: string, sims: number) => api().bestMove(name, iteration, position, sims),
  showPositions: (name: string, positions: string[]) => api().showPositions(name, positions),
  engineGames: (actorCommand: string[] | null) => api().engineGames(actorCommand),
  changeSettings: (name: string, changes: LoopConfigInput) => api().changeSettings(name, changes),
  forkRun: (name: string, iteration: number, request: ForkRunRequest) => api().forkRun(name, iteration, request),
  listExperiments: () => api().listExperiments(),
  startScale: (name: string, runs: string[], games: number) => api().startScale(name, runs, games),
  getScale: (name: string) => api().getScale(name),
  startExperiment: (spec: ExperimentSpec) => api().startExperiment(spec),
  stopExperiment: (name: string) => withNotice(() => api().stopExperiment(name)),
  resumeExperiment: (name: string) => withNotice(() => api().resumeExperiment(name)),
  startMatch: (name: string, request: MatchRequest) => withNotice(() => api().startMatch(name, request)),
  stopMatch: (name: string, id: string) => withNotice(() => api().stopMatch(name, id)),
};

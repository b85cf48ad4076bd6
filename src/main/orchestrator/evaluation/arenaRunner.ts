/**
 * One match between two players through the arena command: results counted
 * by who moved first (the ratings' input), the games' records kept, retries
 * on a crash. An arena that answers with an `error` event cannot play one of
 * the players: that is not retried, and the caller decides what to skip.
 */
import type { GameKind, GameRecord } from '../../../shared/gameRecords';
import { parsePlayerId, referenceSpec } from '../../../shared/players';
import type { WinDrawLoss } from '../../../shared/matches';
import type { MatchResult, RatedGames } from '../../../shared/stats';
import type { ArenaEvent, ArenaResult } from '../../../shared/protocol';
import { matchResult } from './matchResult';
import { spawnPhaseProcess, withPhaseRetries, type PhaseContext } from '../phaseContext';
import type { RunPaths } from '../state/runPaths';

/** A rated player and how the arena is told to play it (a model path, `random`, `alphabeta:D`). */
export interface ArenaPlayerSpec {
  id: string;
  spec: string;
}

/** How the arena plays a player id: a model's file, or a reference player's spec. */
export function arenaPlayerSpec(paths: RunPaths, id: string): ArenaPlayerSpec {
  const player = parsePlayerId(id);
  if (!player) throw new Error(`not a player id: ${id}`);
  return { id, spec: player.kind === 'model' ? paths.model(player.iteration) : referenceSpec(player) };
}

export interface MatchOptions {
  /** Process name: the log file and the records file are named after it. */
  name: string;
  kind: GameKind;
  a: ArenaPlayerSpec;
  b: ArenaPlayerSpec;
  games: number;
  seed: number;
  sims: number;
  onGame?(counts: { a_first: WinDrawLoss; b_first: WinDrawLoss }): void;
  /** Stops this match only (a decided sequential test); the run's stop still applies. */
  signal?: AbortSignal;
}

export interface MatchOutcome {
  result: MatchResult;
  rated: Omit<RatedGames, 'iteration' | 'file'>;
  records: GameRecord[];
  processSeconds: number;
}

export class UnsupportedPlayerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedPlayerError';
  }
}

const empty = (): WinDrawLoss => ({ wins: 0, draws: 0, losses: 0 });

const RESULT_KEY = { win: 'wins', draw: 'draws', loss: 'losses' } as const satisfies Record<ArenaResult, keyof WinDrawLoss>;

export function playMatch(ctx: PhaseContext, o: MatchOptions): Promise<MatchOutcome> {
  let processSeconds = 0;
  return withPhaseRetries(ctx, o.name, async () => {
    const counts = { a_first: empty(), b_first: empty() };
    const records: GameRecord[] = [];
    let unsupported: string | null = null;
    let done: WinDrawLoss | null = null;
    const onEvent = (e: ArenaEvent) => {
      if (e.event === 'done') {
        done = { wins: e.wins, draws: e.draws, losses: e.losses };
        return;
      }
      if (e.event === 'error') {
        unsupported = e.message;
        return;
      }
      const key = RESULT_KEY[e.result];
      const aFirst = e.a_first !== false;
      counts[aFirst ? 'a_first' : 'b_first'][key]++;
      o.onGame?.(counts);
      if (e.moves) {
        const firstWon = (key === 'wins') === aFirst;
        records.push({
          kind: o.kind,
          iteration: ctx.iteration,
          players: aFirst ? [o.a.id, o.b.id] : [o.b.id, o.a.id],
          opening: e.opening ?? 0,
          moves: e.moves,
          result: key === 'draws' ? 'draw' : firstWon ? 'first' : 'second',
          search: e.search?.length === e.moves.length ? e.search : e.moves.map(() => null),
        });
      }
    };
    try {
      const run = await spawnPhaseProcess(ctx, {
        name: o.name,
        role: 'arena',
        subcommand: 'arena',
        flags: { game: ctx.config.game, a: o.a.spec, b: o.b.spec, games: o.games, sims: o.sims, temperature: 0, seed: o.seed },
        signal: o.signal,
        onEvent,
      });
      processSeconds += run.seconds;
    } catch (error) {
      if (unsupported !== null) throw new UnsupportedPlayerError(unsupported);
      // A match stopped on purpose (a decided sequential test) keeps the games it played.
      if (!(o.signal?.aborted && !ctx.signal.aborted)) throw error;
    }
    const total = (w: WinDrawLoss) => w.wins + w.draws + w.losses;
    // An arena that reports only its totals: colours alternate, so split them evenly.
    const totals = done as WinDrawLoss | null;
    if (total(counts.a_first) + total(counts.b_first) === 0 && totals) {
      const half = (n: number) => Math.ceil(n / 2);
      counts.a_first = { wins: half(totals.wins), draws: half(totals.draws), losses: half(totals.losses) };
      counts.b_first = { wins: totals.wins - counts.a_first.wins, draws: totals.draws - counts.a_first.draws, losses: totals.losses - counts.a_first.losses };
    }
    const wins = counts.a_first.wins + counts.b_first.wins;
    const draws = counts.a_first.draws + counts.b_first.draws;
    const losses = counts.a_first.losses + counts.b_first.losses;
    if (total(counts.a_first) + total(counts.b_first) === 0 && !o.signal?.aborted) throw new Error(`${o.name}: the arena reported no games`);
    return { result: matchResult(wins, draws, losses), rated: { kind: o.kind, a: o.a.id, b: o.b.id, ...counts }, records, processSeconds };
  });
}

/** A 31-bit seed per (run seed, iteration, match). */
export function matchSeed(seed: number, iteration: number, salt: number): number {
  return (seed + iteration * 7919 + salt * 104_729) % 2 ** 31;
}

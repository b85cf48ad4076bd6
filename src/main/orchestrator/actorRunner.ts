/**
 * Self-play phase: episodes split across numActors actor processes. A crashed
 * or hung actor is retried for the episodes it has not yet saved in shards;
 * after maxRetries the phase fails and the other actors are stopped.
 */
import type { GameRecord, MoveSearch } from '../../shared/gameRecords';
import { modelPlayerId } from '../../shared/players';
import { NO_MODEL } from '../../shared/protocol';
import { writeGameRecords } from './state/gameRecordsStore';
import { numberField, type ProtocolMessage } from './process/childProcess';
import { ProcessFailedError } from './process/processFailedError';
import { ProgressReporter, spawnPhaseProcess, type PhaseContext } from './phaseContext';

export interface SelfplayResult {
  episodes: number;
  positions: number;
  seconds: number;
  /** Seconds spent inside actor processes, summed over actors (for the overhead benchmark). */
  processSeconds: number;
}

export function splitEpisodes(total: number, actors: number): number[] {
  const n = Math.max(1, Math.min(actors, total));
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

export function actorSeed(seed: number, iteration: number, actorId: number, attempt: number): number {
  return (seed + iteration * 7919 + actorId * 104_729 + attempt * 1_299_709) % 2 ** 31;
}

export interface SelfplayOptions {
  sims: number;
  /** Iteration of the model the actors play with, or null before the run has one. */
  modelIteration: number | null;
}

/** The player id of a self-play game: its model, or the model-less rollout player. */
const selfplayPlayer = (iteration: number | null) => (iteration === null ? 'rollouts' : modelPlayerId(iteration));

export async function runSelfplay(ctx: PhaseContext, options: SelfplayOptions): Promise<SelfplayResult> {
  const { config, paths, iteration } = ctx;
  const shares = splitEpisodes(config.episodesPerIteration, config.numActors);
  const total = config.episodesPerIteration;
  await ctx.emit({ type: 'phase.started', iteration, phase: 'selfplay', total });
  const started = performance.now();
  const progress = new ProgressReporter(ctx, 'selfplay', total);
  const live = shares.map(() => ({ episodes: 0, positions: 0 }));
  const records: GameRecord[][] = shares.map(() => []);
  const player = selfplayPlayer(options.modelIteration);
  const saved = shares.map(() => ({ episodes: 0, positions: 0 }));
  const sum = (key: 'episodes' | 'positions') => live.reduce((s, a) => s + a[key], 0);
  const report = (force = false) => progress.report(sum('episodes'), (sec) => ({ games_per_sec: sum('episodes') / sec, positions_per_sec: sum('positions') / sec }), force);

  const phase = new AbortController();
  const onStop = () => phase.abort();
  ctx.signal.addEventListener('abort', onStop);
  let processSeconds = 0;

  const runActor = async (index: number): Promise<void> => {
    const actorId = index + 1;
    const name = `actor-${actorId}`;
    for (let attempt = 0; ; attempt++) {
      const remaining = shares[index]! - saved[index]!.episodes;
      if (remaining <= 0) return;
      const base = { ...saved[index]! };
      try {
        const result = await spawnPhaseProcess(ctx, {
          name,
          role: 'actor',
          subcommand: 'selfplay',
          flags: {
            game: config.game,
            model: options.modelIteration === null ? NO_MODEL : paths.model(options.modelIteration),
            episodes: remaining,
            sims: options.sims,
            'temp-threshold': config.tempThreshold,
            seed: actorSeed(config.seed, iteration, actorId, attempt),
            'actor-id': actorId,
            out: paths.replayDir(iteration),
          },
          signal: phase.signal,
          env: { LOOPDECK_RECORD_GAMES: String(Math.max(0, config.recordSelfplayGames - records[index]!.length)) },
          onMessage: (m: ProtocolMessage) => {
            if (m.event === 'game') {
              const record = selfplayRecord(m, iteration, player);
              if (record) records[index]!.push(record);
            } else if (m.event === 'progress') {
              live[index] = { episodes: base.episodes + numberField(m, 'episodes'), positions: base.positions + numberField(m, 'positions') };
              report();
            } else if (m.event === 'shard') {
              const shardEpisodes = typeof m.episodes === 'number' ? m.episodes : live[index]!.episodes - saved[index]!.episodes;
              saved[index] = { episodes: saved[index]!.episodes + shardEpisodes, positions: saved[index]!.positions + numberField(m, 'positions') };
            } else if (m.event === 'done') {
              saved[index] = { episodes: base.episodes + numberField(m, 'episodes'), positions: base.positions + numberField(m, 'positions') };
              live[index] = { ...saved[index]! };
            }
          },
        });
        processSeconds += result.seconds;
        if (saved[index]!.episodes < shares[index]!)
          throw new ProcessFailedError({
            processName: name,
            argv: result.argv,
            reason: `exited 0 after ${saved[index]!.episodes} of ${shares[index]} episodes`,
            exitCode: 0,
            signal: null,
            stalled: false,
            cancelled: false,
            logTail: [],
          });
        return;
      } catch (error) {
        if (!(error instanceof ProcessFailedError) || error.cancelled) throw error;
        live[index] = { ...saved[index]! };
        if (attempt >= config.maxRetries) throw error;
        await ctx.emit({
          type: 'log.lines',
          iteration,
          process: name,
          lines: [
            `[loopdeck] ${name} failed (${error.message.split('\n')[0]}); retrying for its ${shares[index]! - saved[index]!.episodes} remaining episodes (retry ${attempt + 1} of ${config.maxRetries})`,
          ],
        });
      }
    }
  };

  try {
    const results = await Promise.allSettled(
      shares.map((_, i) =>
        runActor(i).catch((e) => {
          phase.abort();
          throw e;
        }),
      ),
    );
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    // The actor that failed first, not the ones stopped because of it.
    const failure = rejected.find((r) => !(r.reason instanceof ProcessFailedError && r.reason.cancelled)) ?? rejected[0];
    if (failure) throw failure.reason;
  } finally {
    ctx.signal.removeEventListener('abort', onStop);
  }
  report(true);
  await Promise.all(records.map((list, i) => (list.length ? writeGameRecords(paths, iteration, `selfplay-actor-${i + 1}.jsonl`, list) : null)));
  const seconds = (performance.now() - started) / 1000;
  await ctx.emit({ type: 'phase.completed', iteration, phase: 'selfplay', seconds });
  return { episodes: sum('episodes'), positions: saved.reduce((s, a) => s + a.positions, 0), seconds, processSeconds };
}

/** A self-play `game` event as a record, or null when it lacks the moves. */
function selfplayRecord(m: ProtocolMessage, iteration: number, player: string): GameRecord | null {
  const moves = Array.isArray(m.moves) && m.moves.every((x) => Number.isInteger(x)) ? (m.moves as number[]) : null;
  if (!moves || (m.result !== 'first' && m.result !== 'second' && m.result !== 'draw')) return null;
  const search = Array.isArray(m.search) && m.search.length === moves.length ? (m.search as (MoveSearch | null)[]) : moves.map(() => null);
  const opening = Number.isInteger(m.opening) && (m.opening as number) >= 0 && (m.opening as number) <= moves.length ? (m.opening as number) : 0;
  return { kind: 'selfplay', iteration, players: [player, player], opening, moves, result: m.result, search };
}

/**
 * Self-play phase: episodes split across numActors actor processes. A crashed
 * or hung actor is retried for the episodes it has not yet saved in shards;
 * after maxRetries the phase fails and the other actors are stopped.
 */
import type { GameRecord } from '../../shared/gameRecords';
import { modelPlayerId } from '../../shared/players';
import { NO_MODEL, type SelfplayEvent } from '../../shared/protocol';
import { writeGameRecords } from './state/gameRecordsStore';
import { ProcessFailedError } from './process/processFailedError';
import { runPhase, spawnPhaseProcess, withPhaseRetries, type PhaseContext, type ProgressReporter } from './phaseContext';

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
  const { config } = ctx;
  const shares = splitEpisodes(config.episodesPerIteration, config.numActors);
  const { result, seconds } = await runPhase(ctx, 'selfplay', config.episodesPerIteration, (progress) => playShares(ctx, options, shares, progress));
  return { ...result, seconds };
}

/** The actors of one self-play phase, each playing its share of the episodes; one failing stops the others. */
async function playShares(ctx: PhaseContext, options: SelfplayOptions, shares: number[], progress: ProgressReporter): Promise<Omit<SelfplayResult, 'seconds'>> {
  const { config, paths, iteration } = ctx;
  /** Per actor: counts its process reports live, and those saved in shards (what a retry need not replay). */
  const live = shares.map(() => ({ episodes: 0, positions: 0 }));
  const saved = shares.map(() => ({ episodes: 0, positions: 0 }));
  const records: GameRecord[][] = shares.map(() => []);
  const player = selfplayPlayer(options.modelIteration);
  const sum = (counts: { episodes: number; positions: number }[], key: 'episodes' | 'positions') => counts.reduce((s, a) => s + a[key], 0);
  const report = () => progress.report(sum(live, 'episodes'), (sec) => ({ games_per_sec: sum(live, 'episodes') / sec, positions_per_sec: sum(live, 'positions') / sec }));

  const phase = new AbortController();
  const onStop = () => phase.abort();
  ctx.signal.addEventListener('abort', onStop);
  let processSeconds = 0;

  const runActor = (index: number): Promise<void> => {
    const actorId = index + 1;
    const name = `actor-${actorId}`;
    const remaining = () => shares[index]! - saved[index]!.episodes;
    const attempt = async (n: number): Promise<void> => {
      // A retry plays only the episodes its predecessors did not save in shards.
      live[index] = { ...saved[index]! };
      if (remaining() <= 0) return;
      const base = { ...saved[index]! };
      const result = await spawnPhaseProcess(ctx, {
        name,
        role: 'actor',
        subcommand: 'selfplay',
        flags: {
          game: config.game,
          model: options.modelIteration === null ? NO_MODEL : paths.model(options.modelIteration),
          episodes: remaining(),
          sims: options.sims,
          'temp-threshold': config.tempThreshold,
          seed: actorSeed(config.seed, iteration, actorId, n),
          'actor-id': actorId,
          out: paths.replayDir(iteration),
        },
        signal: phase.signal,
        env: { LOOPDECK_RECORD_GAMES: String(Math.max(0, config.recordSelfplayGames - records[index]!.length)) },
        onEvent: (e) => {
          if (e.event === 'game') {
            records[index]!.push(selfplayRecord(e, iteration, player));
          } else if (e.event === 'progress') {
            live[index] = { episodes: base.episodes + e.episodes, positions: base.positions + e.positions };
            report();
          } else if (e.event === 'shard') {
            const shardEpisodes = e.episodes ?? live[index]!.episodes - saved[index]!.episodes;
            saved[index] = { episodes: saved[index]!.episodes + shardEpisodes, positions: saved[index]!.positions + e.positions };
          } else if (e.event === 'done') {
            saved[index] = { episodes: base.episodes + e.episodes, positions: base.positions + e.positions };
            live[index] = { ...saved[index]! };
          }
        },
      });
      processSeconds += result.seconds;
      if (remaining() > 0) throw ProcessFailedError.unfinished(name, result.argv, `exited 0 after ${saved[index]!.episodes} of ${shares[index]} episodes`);
    };
    return withPhaseRetries(ctx, name, attempt, () => `for its ${remaining()} remaining episodes`).finally(() => {
      live[index] = { ...saved[index]! };
    });
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
  report();
  await Promise.all(records.map((list, i) => (list.length ? writeGameRecords(paths, iteration, `selfplay-actor-${i + 1}.jsonl`, list) : null)));
  return { episodes: sum(saved, 'episodes'), positions: sum(saved, 'positions'), processSeconds };
}

/** A self-play `game` event as a record. */
function selfplayRecord(e: Extract<SelfplayEvent, { event: 'game' }>, iteration: number, player: string): GameRecord {
  const search = e.search?.length === e.moves.length ? e.search : e.moves.map(() => null);
  const opening = e.opening !== undefined && e.opening <= e.moves.length ? e.opening : 0;
  return { kind: 'selfplay', iteration, players: [player, player], opening, moves: e.moves, result: e.result, search };
}

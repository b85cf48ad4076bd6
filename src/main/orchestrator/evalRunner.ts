/**
 * Evaluation phase: the new model plays the best model (the gatekeeper) and,
 * if enabled, a uniformly random player; the gate promotes it when its score
 * (wins + draws/2) / games is above gateThreshold. Also the one place that
 * changes the best model, for the gate and for manual promote/revert.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { ApiError } from '../../shared/api';
import { RANDOM_PLAYER } from '../../shared/protocol';
import type { BestModelInfo, EvalRecord, MatchResult } from '../../shared/stats';
import { copyFileAtomic } from './atomicFile';
import { applyBestChange, type BestChange } from './bestModel';
import { numberField, runProtocolProcess, type ProtocolMessage } from './childProcess';
import { ProgressReporter, processLogger, type PhaseContext, type UnstampedEvent } from './phaseContext';
import { withRetries } from './retry';
import type { RunPaths } from './runPaths';

export function matchResult(wins: number, draws: number, losses: number): MatchResult {
  const games = wins + draws + losses;
  return {
    wins,
    draws,
    losses,
    games,
    win_rate: games ? wins / games : 0,
    draw_rate: games ? draws / games : 0,
    score: games ? (wins + draws / 2) / games : 0,
  };
}

export function passesGate(result: MatchResult, gateThreshold: number): boolean {
  return result.score > gateThreshold;
}

interface ArenaOptions {
  name: string;
  a: string;
  b: string;
  games: number;
  seed: number;
  onGame(): void;
  onSpawn?(name: string, pid: number): void;
  onExit?(name: string, seconds: number): void;
}

async function playArena(ctx: PhaseContext, options: ArenaOptions): Promise<{ result: MatchResult; processSeconds: number }> {
  const { config, paths, iteration } = ctx;
  let processSeconds = 0;
  return withRetries(
    config.maxRetries,
    async () => {
      let counted = { wins: 0, draws: 0, losses: 0 };
      let done: typeof counted | null = null;
      const run = await runProtocolProcess({
        name: options.name,
        command: ctx.engine.arena,
        subcommand: 'arena',
        flags: { game: config.game, a: options.a, b: options.b, games: options.games, sims: config.evalSims, temperature: 0, seed: options.seed },
        logFile: paths.log(iteration, options.name),
        stallTimeoutMs: config.stallTimeout * 1000,
        graceMs: ctx.graceMs,
        signal: ctx.signal,
        onSpawn: (pid) => options.onSpawn?.(options.name, pid),
        onExit: (seconds) => options.onExit?.(options.name, seconds),
        onLogLines: processLogger(ctx, options.name),
        onMessage: (m: ProtocolMessage) => {
          if (m.event === 'game') {
            const key = m.result === 'win' ? 'wins' : m.result === 'draw' ? 'draws' : m.result === 'loss' ? 'losses' : null;
            if (!key) throw new Error(`"game" event needs "result" win, draw or loss (got ${JSON.stringify(m.result)})`);
            counted = { ...counted, [key]: counted[key] + 1 };
            options.onGame();
          } else if (m.event === 'done') {
            done = { wins: numberField(m, 'wins'), draws: numberField(m, 'draws'), losses: numberField(m, 'losses') };
          }
        },
      });
      processSeconds += run.seconds;
      const final = done ?? counted;
      return { result: matchResult(final.wins, final.draws, final.losses), processSeconds };
    },
    (error, n) =>
      ctx.emit({ type: 'log.lines', iteration, process: options.name, lines: [`[loopdeck] ${options.name} failed (${error.message.split('\n')[0]}); retry ${n} of ${config.maxRetries}`] }),
  );
}

export interface EvaluationOutcome {
  record: EvalRecord;
  seconds: number;
  processSeconds: number;
}

export interface EvaluationOptions {
  candidate: string;
  best: BestModelInfo | null;
  /** Trainer step of the candidate. */
  step: number;
  onSpawn?(name: string, pid: number): void;
  onExit?(name: string, seconds: number): void;
}

export async function runEvaluation(ctx: PhaseContext, options: EvaluationOptions): Promise<EvaluationOutcome> {
  const { config, paths, iteration } = ctx;
  const champion = options.best && options.best.iteration !== iteration ? options.best.iteration : null;
  const playRandom = config.evalVsRandom;
  const total = (champion !== null ? config.evalGames : 0) + (playRandom ? config.evalGames : 0);
  await ctx.emit({ type: 'phase.started', iteration, phase: 'eval', total });
  const started = performance.now();
  const progress = new ProgressReporter(ctx, 'eval', total);
  let played = 0;
  const onGame = () => {
    played++;
    progress.report(played, (sec) => ({ games_per_sec: played / sec }));
  };
  const seed = (config.seed + iteration * 7919) % 2 ** 31;
  // The two matches are independent: run them side by side.
  const [vsChampion, vsRandom] = await Promise.all([
    champion !== null
      ? playArena(ctx, { name: 'arena-vs-best', a: options.candidate, b: paths.model(champion), games: config.evalGames, seed, onGame, onSpawn: options.onSpawn, onExit: options.onExit })
      : null,
    playRandom
      ? playArena(ctx, { name: 'arena-vs-random', a: options.candidate, b: RANDOM_PLAYER, games: config.evalGames, seed: seed + 1, onGame, onSpawn: options.onSpawn, onExit: options.onExit })
      : null,
  ]);
  progress.report(played, (sec) => ({ games_per_sec: played / sec }), true);
  const promoted = champion === null ? options.best === null : passesGate(vsChampion!.result, config.gateThreshold);
  const reason =
    champion === null
      ? options.best === null
        ? 'initial model of the run'
        : 'already the best model'
      : `score ${vsChampion!.result.score.toFixed(3)} ${promoted ? '>' : '<='} gate ${config.gateThreshold}`;
  const seconds = (performance.now() - started) / 1000;
  const record: EvalRecord = {
    iteration,
    step: options.step,
    vs_champion_iteration: champion,
    vs_champion: vsChampion?.result ?? null,
    vs_random: vsRandom?.result ?? null,
    gate_threshold: config.gateThreshold,
    promoted,
    promotion_reason: reason,
    seconds,
    timestamp: new Date().toISOString(),
  };
  await ctx.emit({ type: 'phase.completed', iteration, phase: 'eval', seconds });
  return { record, seconds, processSeconds: (vsChampion?.processSeconds ?? 0) + (vsRandom?.processSeconds ?? 0) };
}

/** Make an iteration's model the best: copy it to models/best.onnx atomically and journal the change. */
export async function commitBestChange(
  paths: RunPaths,
  current: BestModelInfo | null,
  change: BestChange,
  emit: (event: UnstampedEvent) => Promise<void>,
): Promise<BestModelInfo> {
  const model = paths.model(change.iteration);
  if (!existsSync(model))
    throw new ApiError({ code: 'bad_request', message: `iteration ${change.iteration} has no model (${model}); choose an iteration that finished training` });
  await copyFileAtomic(model, paths.bestModel);
  const best = applyBestChange(current, change, relative(paths.root, model));
  await emit({ type: 'best.changed', best });
  return best;
}

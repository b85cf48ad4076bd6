/**
 * Evaluation phase: the new model plays the best model (the gatekeeper) and,
 * if enabled, a uniformly random player, while its perfect-play accuracy is
 * scored; then a ladder step rates it against the models 1, 3 and 10
 * iterations back and the reference player nearest its rating. Every match is
 * journaled as `games.rated` (the ratings' input) with its games' records.
 */
import { existsSync } from 'node:fs';
import type { GameKind } from '../../shared/gameRecords';
import type { AccuracyScore } from '../../shared/positions';
import type { BestModelInfo, EvalRecord, LadderSummary } from '../../shared/stats';
import { modelPlayerId, RANDOM_ID } from '../../shared/players';
import type { RatingFit } from '../../shared/ratings';
import { scoreModelAccuracy } from './evaluation/accuracyRunner';
import { arenaPlayerSpec, matchSeed, playMatch, UnsupportedPlayerError, type MatchOptions, type MatchOutcome } from './evaluation/arenaRunner';
import { gateVerdict } from './best/bestModel';
import { writeGameRecords } from './state/gameRecordsStore';
import { chooseLadderOpponents } from './evaluation/ladder';
import { runPhase, type PhaseContext, type ProgressReporter } from './phaseContext';

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
  /** The fit of the run's rated matches so far (the ladder picks opponents from it), made off the event loop. */
  fit: RatingFit;
  /** The best model's missed positions, for the regressions list. */
  bestMissed: readonly string[] | null;
  /** Reference players the arena command could not play; the ladder adds to it. */
  unsupported: Set<string>;
}

/** Plays a match, keeps its records and journals its games for the ratings. */
async function ratedMatch(ctx: PhaseContext, options: MatchOptions, file: string): Promise<MatchOutcome> {
  const outcome = await playMatch(ctx, options);
  const saved = outcome.records.length ? await writeGameRecords(ctx.paths, ctx.iteration, file, outcome.records) : undefined;
  await ctx.emit({ type: 'games.rated', games: { iteration: ctx.iteration, ...outcome.rated, ...(saved ? { file: saved } : {}) } });
  return outcome;
}

/** Wraps tasks so that at most `limit` run at once, in the order they were wrapped. */
function concurrency(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** Mean moves per game of a match, when its arena reported the moves. */
function avgGameLength(match: MatchOutcome | null): { avg_game_length?: number } {
  if (!match || match.records.length === 0) return {};
  return { avg_game_length: match.records.reduce((sum, r) => sum + r.moves.length, 0) / match.records.length };
}

interface LadderPlan {
  models: string[];
  reference: string | null;
}

/** The ladder's opponents this evaluation, from the fit of the games before it. */
function ladderPlan(ctx: PhaseContext, options: EvaluationOptions, played: ReadonlySet<string>): LadderPlan {
  if (ctx.config.ladderGames === 0) return { models: [], reference: null };
  const models = new Set<number>();
  for (let i = 0; i < ctx.iteration; i++) if (existsSync(ctx.paths.model(i))) models.add(i);
  const choice = chooseLadderOpponents({ game: ctx.game, iteration: ctx.iteration, models, fit: options.fit, played, unsupported: options.unsupported });
  return { models: choice.models.map(modelPlayerId), reference: choice.reference };
}

export async function runEvaluation(ctx: PhaseContext, options: EvaluationOptions): Promise<EvaluationOutcome> {
  const { config, iteration } = ctx;
  const champion = options.best && options.best.iteration !== iteration ? options.best.iteration : null;
  const played = new Set<string>([...(champion !== null ? [modelPlayerId(champion)] : []), ...(config.evalVsRandom ? [RANDOM_ID] : [])]);
  const plan = ladderPlan(ctx, options, played);
  const total = (champion !== null ? config.evalGames : 0) + (config.evalVsRandom ? config.evalGames : 0) + (plan.models.length + (plan.reference ? 1 : 0)) * config.ladderGames;
  const { result: evaluated, seconds } = await runPhase(ctx, 'eval', total, (progress) => playEvaluation(ctx, options, champion, plan, progress));
  const { vsChampion, vsRandom, accuracy, accuracyError, ladder, processSeconds } = evaluated;
  const verdict = gateVerdict(options.best, iteration, vsChampion?.result ?? null, config.gateThreshold);
  const record: EvalRecord = {
    iteration,
    step: options.step,
    vs_champion_iteration: champion,
    vs_champion: vsChampion?.result ?? null,
    vs_random: vsRandom?.result ?? null,
    gate_threshold: config.gateThreshold,
    promoted: verdict.promoted,
    promotion_reason: verdict.reason,
    accuracy,
    ...(accuracyError ? { accuracy_error: accuracyError } : {}),
    ladder,
    ...avgGameLength(vsChampion ?? vsRandom),
    seconds,
    timestamp: new Date().toISOString(),
  };
  return { record, seconds, processSeconds };
}

interface EvaluationGames {
  vsChampion: MatchOutcome | null;
  vsRandom: MatchOutcome | null;
  accuracy: AccuracyScore | null;
  accuracyError?: string;
  ladder: LadderSummary;
  processSeconds: number;
}

/** Every match of an evaluation and the accuracy score, side by side. */
async function playEvaluation(ctx: PhaseContext, options: EvaluationOptions, champion: number | null, plan: LadderPlan, progress: ProgressReporter): Promise<EvaluationGames> {
  const { config, iteration } = ctx;
  let games = 0;
  const onGame = () => {
    games++;
    progress.report(games, (sec) => ({ games_per_sec: games / sec }));
  };
  let processSeconds = 0;
  // Everything is independent: the gate, random, the accuracy score and the ladder run side by side,
  // one process more than there are actors, so that a process starting up does not leave a core idle.
  const limit = concurrency(Math.max(1, config.numActors) + 1);
  const me = arenaPlayerSpec(ctx.paths, modelPlayerId(iteration));
  const match = (kind: GameKind, name: string, file: string, opponent: string, games: number, salt: number) =>
    limit(async () => {
      const outcome = await ratedMatch(ctx, { name, kind, a: me, b: arenaPlayerSpec(ctx.paths, opponent), games, sims: config.evalSims, seed: matchSeed(config.seed, iteration, salt), onGame }, file);
      processSeconds += outcome.processSeconds;
      return outcome;
    });
  const ladderOpponents = [...plan.models, ...(plan.reference ? [plan.reference] : [])];
  const ladderMatch = (opponent: string, k: number) => match('ladder', `ladder-${opponent}`, `ladder-${opponent}.jsonl`, opponent, config.ladderGames, 10 + k);
  // The reference player searches in the arena's own thread (depth-6 alpha-beta: about 5 s for 20
  // Connect Four games), the phase's longest match: started first, it runs beside the others
  // instead of alone on one core at the end.
  const referenceMatch = plan.reference ? ladderMatch(plan.reference, plan.models.length) : null;
  const gate = champion !== null ? match('gate', 'arena-vs-best', 'gate.jsonl', modelPlayerId(champion), config.evalGames, 0) : null;
  const random = config.evalVsRandom ? match('random', 'arena-vs-random', 'random.jsonl', RANDOM_ID, config.evalGames, 1) : null;
  let accuracyError: string | undefined;
  const accuracy = limit(() => scoreModelAccuracy(ctx, options.candidate, options.bestMissed)).catch((error: unknown) => {
    if (ctx.signal.aborted) throw error;
    accuracyError = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    void ctx.emit({ type: 'log.lines', iteration, process: 'accuracy', lines: [`[loopdeck] accuracy not scored: ${accuracyError}`] });
    return null;
  });
  const ladderGames = [...plan.models.map(ladderMatch), ...(referenceMatch ? [referenceMatch] : [])];
  const [main, ladderResults] = await Promise.all([Promise.allSettled([gate, random, accuracy] as const), Promise.allSettled(ladderGames)]);
  // The gate and the match against random decide and report: their failures fail the phase.
  const value = <T>(r: PromiseSettledResult<T>): T => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  };
  const [vsChampion, vsRandom, accuracyScore] = [value(main[0]), value(main[1]), value(main[2])];
  const ladder: LadderSummary = { played: [], skipped: [] };
  ladderResults.forEach((r, k) => {
    const opponent = ladderOpponents[k]!;
    if (r.status === 'fulfilled') {
      ladder.played.push({ opponent, games: r.value.result.games, score: r.value.result.score });
      return;
    }
    if (ctx.signal.aborted) throw r.reason;
    // The ladder only rates: a pairing that cannot be played is skipped and said so, never a failed run.
    const reason = r.reason instanceof Error ? r.reason.message.split('\n')[0]! : String(r.reason);
    if (r.reason instanceof UnsupportedPlayerError) options.unsupported.add(opponent);
    ladder.skipped.push({ opponent, reason });
    void ctx.emit({ type: 'log.lines', iteration, process: `ladder-${opponent}`, lines: [`[loopdeck] ladder: skipped ${opponent}: ${reason}`] });
  });
  return { vsChampion, vsRandom, accuracy: accuracyScore, ...(accuracyError ? { accuracyError } : {}), ladder, processSeconds };
}

/**
 * The JSON projections of a run, computed from its RunState. Loopdeck's own
 * fields sit beside the original system's keys, so its readers keep working:
 * its web server deserializes stats.json into a `TrainingStats` struct, and its
 * dashboards read eval_stats.json, loop_stats.json and best_model.json. Their
 * rules: timestamps are Unix seconds (Loopdeck's ISO times move to `time`), and
 * a key the original declares as a number is left out rather than written null.
 */
import { snakeCase, type LoopConfig } from '../../../shared/config/fields';
import { promotedIterations } from '../../../shared/bestHistory';
import type { RunState } from '../../../shared/runState';
import type { RatingFit } from '../../../shared/ratings';
import { ratingsProjection } from '../../../shared/runRatings';
import type { BestModelInfo, EvalRecord, IterationStats, LossPoint } from '../../../shared/stats';
import type { RunPaths } from './runPaths';

export interface Projection {
  path: string;
  content: unknown;
}

/** Unix seconds of an ISO time (0 for none). */
export const unixSeconds = (iso: string | null | undefined): number => (iso ? Math.floor(Date.parse(iso) / 1000) : 0);

/** Only the keys whose value is not null or undefined. */
function present<T extends Record<string, unknown>>(entries: T): Partial<T> {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

function snakeConfig(config: LoopConfig | null): Record<string, unknown> {
  if (!config) return {};
  return { ...Object.fromEntries(Object.entries(config).map(([k, v]) => [snakeCase(k), v])), env_id: config.game };
}

function iterationEntry(s: IterationStats): Record<string, unknown> {
  const { eval_win_rate, eval_draw_rate, vs_random_win_rate, final_loss, timestamp, ...rest } = s;
  return { ...rest, ...present({ eval_win_rate, eval_draw_rate, vs_random_win_rate, final_loss }), timestamp: unixSeconds(timestamp), time: timestamp };
}

/** Whether an evaluated candidate became best (a later revert back to it does not count); the gate's verdict before the run has a best. */
type BecameBest = (e: EvalRecord) => boolean;

function becameBest(state: RunState): BecameBest {
  const promoted = promotedIterations(state.best);
  return (e) => (state.best ? promoted.has(e.iteration) : e.promoted);
}

/** An evaluation with the original eval_stats.json keys. */
function evaluationEntry(e: EvalRecord, promoted: BecameBest): Record<string, unknown> {
  const { timestamp, ...rest } = e;
  return {
    ...rest,
    ...present({
      vs_best_win_rate: e.vs_champion?.win_rate,
      vs_best_draw_rate: e.vs_champion?.draw_rate,
      vs_best_opponent_iteration: e.vs_champion_iteration,
      vs_random_win_rate: e.vs_random?.win_rate,
      vs_random_draw_rate: e.vs_random?.draw_rate,
      avg_game_length: e.avg_game_length,
    }),
    became_new_best: promoted(e),
    games: (e.vs_champion?.games ?? 0) + (e.vs_random?.games ?? 0),
    timestamp: unixSeconds(timestamp),
    time: timestamp,
  };
}

/** The original web server's `EvalStats` entry (stats.json `last_eval`, `eval_history`): its match against the best, else against random. */
function trainingEvalEntry(e: EvalRecord, promoted: BecameBest): Record<string, unknown> {
  const match = e.vs_champion ?? e.vs_random;
  return present({
    step: e.step,
    win_rate: match?.win_rate,
    draw_rate: match?.draw_rate,
    loss_rate: match ? match.losses / Math.max(1, match.games) : undefined,
    games_played: match?.games,
    avg_game_length: e.avg_game_length,
    timestamp: unixSeconds(e.timestamp),
    current_iteration: e.iteration,
    opponent: e.vs_champion ? 'best' : e.vs_random ? 'random' : undefined,
    opponent_iteration: e.vs_champion_iteration,
    became_new_best: promoted(e),
    vs_random_win_rate: e.vs_random?.win_rate,
    vs_random_draw_rate: e.vs_random?.draw_rate,
  });
}

function lossEntry(p: LossPoint): Record<string, unknown> {
  return { ...present({ ...p }), total_loss: p.loss, ...present({ learning_rate: p.lr }) };
}

/** Positions in the replay window the trainer samples from next. */
function replayBufferSize(state: RunState): number {
  const window = state.config?.replayWindow ?? 0;
  return state.iterations.slice(-window).reduce((sum, s) => sum + s.transitions, 0);
}

function bestModelEntry(best: BestModelInfo): Record<string, unknown> {
  return { ...best, ...present({ win_rate_when_promoted: best.score }), timestamp: unixSeconds(best.promoted_at) };
}

/** `fit`: the fit of the state's rated matches, made off the event loop (state/ratingFits); null when none are rated. */
export function projectionsOf(state: RunState, paths: RunPaths, fit: RatingFit | null): Projection[] {
  const lastEval = state.evaluations[state.evaluations.length - 1] ?? null;
  const lastLoss = state.loss[state.loss.length - 1] ?? null;
  const config = state.config;
  const promoted = becameBest(state);
  const projections: Projection[] = [
    { path: paths.loopStats, content: { config: snakeConfig(config), iterations: state.iterations.map(iterationEntry) } },
    { path: paths.evalStats, content: { evaluations: state.evaluations.map((e) => evaluationEntry(e, promoted)) } },
    {
      path: paths.stats,
      content: {
        run: state.name,
        game: config?.game ?? null,
        env_id: config?.game ?? '',
        status: state.status,
        step: lastLoss?.step ?? 0,
        total_steps: (state.parent?.steps ?? 0) + (config ? config.iterations * config.stepsPerIteration : 0),
        ...present({ total_loss: lastLoss?.loss, policy_loss: lastLoss?.policy_loss, value_loss: lastLoss?.value_loss, learning_rate: lastLoss?.lr }),
        replay_buffer_size: replayBufferSize(state),
        iteration: state.iterations.length ? state.iterations[state.iterations.length - 1]!.iteration : 0,
        current_iteration: state.current_iteration ?? (state.iterations.length ? state.iterations[state.iterations.length - 1]!.iteration : 0),
        history: state.loss.map(lossEntry),
        ...(lastEval ? { last_eval: trainingEvalEntry(lastEval, promoted) } : {}),
        eval_history: state.evaluations.map((e) => trainingEvalEntry(e, promoted)),
        ...(state.best ? { best_model: bestModelEntry(state.best) } : {}),
        timestamp: unixSeconds(state.updated_at),
        time: state.updated_at,
      },
    },
  ];
  if (state.best) projections.push({ path: paths.bestModelJson, content: bestModelEntry(state.best) });
  if (fit && state.rated.length) projections.push({ path: paths.ratingsJson, content: ratingsProjection(fit, state.updated_at) });
  return projections;
}

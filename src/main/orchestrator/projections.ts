/**
 * The four JSON projections of a run, computed from its RunState. Field names
 * follow the original Python orchestrator's files (snake_case).
 */
import { snakeCase, type LoopConfig } from '../../shared/config';
import type { RunState } from '../../shared/runState';
import { fitRunRatings, ratingsProjection } from '../../shared/runRatings';
import type { RunPaths } from './runPaths';

function snakeConfig(config: LoopConfig | null): Record<string, unknown> {
  if (!config) return {};
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [snakeCase(k), v]));
}

export interface Projection {
  path: string;
  content: unknown;
}

export function projectionsOf(state: RunState, paths: RunPaths): Projection[] {
  const lastEval = state.evaluations[state.evaluations.length - 1] ?? null;
  const lastLoss = state.loss[state.loss.length - 1] ?? null;
  const projections: Projection[] = [
    { path: paths.loopStats, content: { config: snakeConfig(state.config), iterations: state.iterations } },
    { path: paths.evalStats, content: { evaluations: state.evaluations } },
    {
      path: paths.stats,
      content: {
        run: state.name,
        game: state.config?.game ?? null,
        status: state.status,
        step: lastLoss?.step ?? 0,
        iteration: state.iterations.length ? state.iterations[state.iterations.length - 1]!.iteration : 0,
        history: state.loss,
        last_eval: lastEval,
        eval_history: state.evaluations,
        best_model: state.best,
        timestamp: state.updated_at,
      },
    },
  ];
  if (state.best) projections.push({ path: paths.bestModelJson, content: state.best });
  if (state.rated.length) projections.push({ path: paths.ratingsJson, content: ratingsProjection(fitRunRatings(state.rated), state.updated_at) });
  return projections;
}

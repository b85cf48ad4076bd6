import { expect, it } from 'vitest';
import { Orchestrator } from '../../../src/main/orchestrator/orchestrator';
import { fakeConfig, readJson, withTempDirPerTest } from './helpers';

type Kind = 'number' | 'string' | 'boolean' | 'object' | 'array';
interface Shape {
  [key: string]: Kind | Shape | [Shape];
}

/** The original types, as the issue lists them. */
const EVAL_STATS: Shape = {
  step: 'number',
  win_rate: 'number',
  draw_rate: 'number',
  loss_rate: 'number',
  games_played: 'number',
  avg_game_length: 'number',
  timestamp: 'number',
  current_iteration: 'number',
  opponent: 'string',
  opponent_iteration: 'number',
  became_new_best: 'boolean',
  vs_random_win_rate: 'number',
  vs_random_draw_rate: 'number',
};
const TRAINING_STATS: Shape = {
  step: 'number',
  total_steps: 'number',
  total_loss: 'number',
  policy_loss: 'number',
  value_loss: 'number',
  replay_buffer_size: 'number',
  learning_rate: 'number',
  timestamp: 'number',
  env_id: 'string',
  last_eval: EVAL_STATS,
  eval_history: [EVAL_STATS],
  history: [{ step: 'number', total_loss: 'number', value_loss: 'number', policy_loss: 'number', learning_rate: 'number' }],
};
const EVAL_RECORD: Shape = {
  iteration: 'number',
  step: 'number',
  vs_best_win_rate: 'number',
  vs_best_draw_rate: 'number',
  vs_best_opponent_iteration: 'number',
  became_new_best: 'boolean',
  vs_random_win_rate: 'number',
  vs_random_draw_rate: 'number',
  games: 'number',
  timestamp: 'number',
};
const LOOP_STATS: Shape = {
  config: { env_id: 'string' },
  iterations: [
    {
      iteration: 'number',
      episodes: 'number',
      transitions: 'number',
      steps: 'number',
      actor_time: 'number',
      trainer_time: 'number',
      eval_time: 'number',
      total_time: 'number',
      eval_win_rate: 'number',
      eval_draw_rate: 'number',
      timestamp: 'number',
    },
  ],
};
const BEST_MODEL: Shape = { iteration: 'number', win_rate_when_promoted: 'number', timestamp: 'number' };

/** Every key of `shape` that is present in `value` has the declared type; returns the violations. */
function violations(value: unknown, shape: Shape, path = ''): string[] {
  if (!value || typeof value !== 'object') return [`${path || 'the file'} is not an object`];
  const out: string[] = [];
  for (const [key, kind] of Object.entries(shape)) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    const where = `${path}${key}`;
    if (Array.isArray(kind)) {
      if (!Array.isArray(v)) out.push(`${where} is not an array`);
      else for (const [i, item] of v.entries()) out.push(...violations(item, kind[0], `${where}[${i}].`));
    } else if (typeof kind === 'object') out.push(...violations(v, kind, `${where}.`));
    else if (kind === 'array' ? !Array.isArray(v) : typeof v !== kind || v === null) out.push(`${where} is ${JSON.stringify(v)}, not a ${kind}`);
  }
  return out;
}

let dir: string;
withTempDirPerTest((d) => (dir = d));

it('the four projections carry the original keys with the original types, and no null where a number is declared', async () => {
  process.env.FAKE_ENGINE = JSON.stringify({ arena: { vsBest: 'wwdl', vsRandom: 'wwwd' } });
  const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 3 }));
  await orchestrator.run();
  await orchestrator.close();
  const { paths } = orchestrator;
  const stats = await readJson(paths.stats);
  const evals = await readJson(paths.evalStats);
  const loop = await readJson(paths.loopStats);
  const best = await readJson(paths.bestModelJson);
  expect(violations(stats, TRAINING_STATS)).toEqual([]);
  for (const e of evals.evaluations) expect(violations(e, EVAL_RECORD)).toEqual([]);
  expect(violations(loop, LOOP_STATS)).toEqual([]);
  expect(violations(best, BEST_MODEL)).toEqual([]);

  // The keys are there, not just well typed where present.
  expect(stats).toMatchObject({ env_id: 'tictactoe', step: 15, total_steps: 15, replay_buffer_size: 3 * 42, timestamp: expect.any(Number) });
  expect(stats.timestamp).toBeGreaterThan(1.7e9);
  expect(stats.last_eval).toMatchObject({ current_iteration: 3, opponent: 'best', opponent_iteration: 2, win_rate: 0.5, draw_rate: 0.25, loss_rate: 0.25, games_played: 4, avg_game_length: 5 });
  expect(stats.eval_history[0]).toMatchObject({ current_iteration: 1, opponent: 'random', became_new_best: true });
  expect(stats.eval_history[0]).not.toHaveProperty('opponent_iteration');
  expect(stats.history[0]).toMatchObject({ step: expect.any(Number), total_loss: expect.any(Number), learning_rate: expect.any(Number) });
  expect(evals.evaluations[1]).toMatchObject({ iteration: 2, vs_best_win_rate: 0.5, vs_best_opponent_iteration: 1, became_new_best: true, games: 8 });
  expect(evals.evaluations[0]).not.toHaveProperty('vs_best_win_rate');
  expect(loop.config.env_id).toBe('tictactoe');
  expect(loop.iterations[1]).toMatchObject({ iteration: 2, eval_win_rate: 0.5, timestamp: expect.any(Number) });
  expect(loop.iterations[0]).not.toHaveProperty('eval_win_rate');
  expect(best).toMatchObject({ iteration: 3, win_rate_when_promoted: 0.625, timestamp: expect.any(Number), reason: 'gate' });
  // Loopdeck's own ISO times stay, under `time`.
  expect(Date.parse(loop.iterations[0].time)).toBeGreaterThan(0);
});

it('a trainer that reports no policy loss leaves the key out, and the loss chart draws no line for it', async () => {
  process.env.FAKE_ENGINE = JSON.stringify({ train: { lossOnly: true } });
  const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 1 }));
  await orchestrator.run();
  await orchestrator.close();
  const stats = await readJson(orchestrator.paths.stats);
  expect(violations(stats, TRAINING_STATS)).toEqual([]);
  expect(stats).not.toHaveProperty('policy_loss');
  expect(stats.history[0]).not.toHaveProperty('policy_loss');
  expect(orchestrator.view().state.loss[0]!.policy_loss).toBeNull();
});

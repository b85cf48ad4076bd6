import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { validateConfig } from '../../../src/shared/config/validate';
import { Orchestrator } from '../../../src/main/orchestrator/orchestrator';
import { tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

it('trains with the bundled actor and arena and an outside trainer that accepts only the documented flags', async () => {
  const result = validateConfig({
    name: 'outside',
    runsDir: dir,
    game: 'tictactoe',
    iterations: 2,
    episodesPerIteration: 16,
    stepsPerIteration: 10,
    evalGames: 4,
    evalSims: 8,
    startSims: 8,
    maxSims: 8,
    trainerCommand: ['python3', resolve(__dirname, '../../fixtures/strict_trainer.py')],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const orchestrator = await Orchestrator.create(result.config);
  expect(await orchestrator.run()).toBe('completed');
  const log = await readFile(orchestrator.paths.log(2, 'trainer'), 'utf8');
  expect(log).toMatch(/strict trainer: 10 steps on 2 replay folders/);
  const loop = JSON.parse(await readFile(orchestrator.paths.loopStats, 'utf8'));
  expect(loop.iterations.map((s: { iteration: number }) => s.iteration)).toEqual([1, 2]);
  const evals = JSON.parse(await readFile(orchestrator.paths.evalStats, 'utf8')).evaluations;
  expect(evals[1].vs_champion.games).toBe(4);
}, 90_000);

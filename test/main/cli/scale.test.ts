import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FAKE_ENGINE_FLAGS, runCli, tempDir } from '../orchestrator/helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const tinyRun = (name: string, seed: number) =>
  runCli(dir, [
    'run',
    '--name',
    name,
    '--seed',
    String(seed),
    '--iterations',
    '2',
    '--episodes-per-iteration',
    '4',
    '--steps-per-iteration',
    '2',
    '--eval-games',
    '4',
    '--ladder-games',
    '0',
    ...FAKE_ENGINE_FLAGS,
  ]);

it('puts two runs on one scale: their best models meet each other and the references, and one fit rates them; played again it plays nothing', async () => {
  const [a, b] = [tinyRun('a', 1), tinyRun('b', 2)];
  expect(await a.done).toBe(0);
  expect(await b.done).toBe(0);

  const scale = runCli(dir, ['scale', 's', 'a', 'b', '--games', '4']);
  expect(await scale.done, scale.err()).toBe(0);
  // One pair of best models, and each against random and the engine's reference alphabeta:1.
  expect(scale.out()).toContain('scale "s": 2 runs of tictactoe, 5 matches of 4 games (5 to play)');
  expect(scale.out()).toMatch(/^ {2}a +best iteration +\d+ +-?\d+ \[-?\d+, -?\d+\]$/m);
  expect(scale.out()).toMatch(/^ {2}b +best iteration +\d+ +-?\d+ \[-?\d+, -?\d+\]$/m);
  expect(scale.out()).toMatch(/^references: random 0 \[0, 0\], alphabeta-1 -?\d+ \[/m);
  expect(scale.out()).toContain('a and b: connected by games');
  const matches = (await readFile(join(dir, 'runs', '.scales', 's', 'matches.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(matches).toHaveLength(5);
  expect(matches[0]).toMatchObject({ iteration: null, kind: 'match', a: expect.stringMatching(/^a\/iter-000\d$/), b: expect.stringMatching(/^b\/iter-000\d$/) });

  const again = runCli(dir, ['scale', 's', 'a', 'b', '--games', '4', '--json']);
  expect(await again.done).toBe(0);
  const report = JSON.parse(again.out());
  expect(report.pairs).toEqual([{ a: 'a', b: 'b', link: 'games' }]);
  expect(report.games).toBe(5 * 4);
  // The same games, the same fit: the text's figures again.
  expect(scale.out()).toContain(`${Math.round(report.runs[0].elo)} [${Math.round(report.runs[0].low)}, ${Math.round(report.runs[0].high)}]`);

  const one = runCli(dir, ['scale', 's2', 'a', 'a']);
  expect(await one.done).toBe(2);
  expect(one.err()).toContain('a scale needs at least two different runs');
  const missing = runCli(dir, ['scale', 's3', 'a', 'zz']);
  expect(await missing.done).toBe(2);
  expect(missing.err()).toContain('no run named "zz"');
}, 90_000);

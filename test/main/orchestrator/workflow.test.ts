import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FAKE_ENGINE_FLAGS, runCli, tempDir, waitFor } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const cli = (args: string[], env: Record<string, string> = {}) => runCli(dir, args, env);

const engines = FAKE_ENGINE_FLAGS;
const base = ['--iterations', '2', '--episodes-per-iteration', '4', '--steps-per-iteration', '5', '--eval-games', '4', '--ladder-games', '0', ...engines];
const journal = async (run: string) =>
  (await readFile(join(dir, 'runs', run, 'events.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const json = async (run: string, file: string) => JSON.parse(await readFile(join(dir, 'runs', run, file), 'utf8'));

it('extends a finished run with changed settings: journaled, in the projections and run.json, used by the next iteration', async () => {
  expect(await cli(['run', '--name', 'r', ...base]).done).toBe(0);
  const extend = cli(['run', '--name', 'r', '--iterations', '3', '--steps-per-iteration', '7', '--eval-games', '4']);
  expect(await extend.done).toBe(0);
  expect(extend.out()).toMatch(/changed from iteration 3: iterations 2 → 3, stepsPerIteration 5 → 7/);
  expect(extend.out()).toMatch(/unchanged \(already so\): evalGames/);
  const events = await journal('r');
  const change = events.find((e) => e.type === 'config.changed');
  expect(change).toMatchObject({ from_iteration: 3, changes: { iterations: { from: 2, to: 3 }, stepsPerIteration: { from: 5, to: 7 } }, by: expect.stringMatching(/@cli$/) });
  // Iteration 3 trained 7 steps, iterations 1 and 2 five.
  expect(events.filter((e) => e.type === 'iteration.completed').map((e) => [e.stats.iteration, e.stats.steps])).toEqual([
    [1, 5],
    [2, 5],
    [3, 7],
  ]);
  expect((await json('r', 'loop_stats.json')).config).toMatchObject({ iterations: 3, steps_per_iteration: 7 });
  const runJson = await json('r', 'run.json');
  expect(runJson.config.iterations).toBe(3);
  expect(runJson.history).toEqual([expect.objectContaining({ from_iteration: 3, changes: expect.objectContaining({ iterations: { from: 2, to: 3 } }) })]);
  const status = cli(['status', 'r', '--json']);
  expect(await status.done).toBe(0);
  expect(JSON.parse(status.out())).toMatchObject({ summary: { iterations_done: 3, iterations_target: 3 }, state: { config_changes: [expect.objectContaining({ from_iteration: 3 })] } });

  // A setting fixed at creation is refused with exit 2, naming it and what to do instead.
  const refused = cli(['run', '--name', 'r', '--game', 'connect4']);
  expect(await refused.done).toBe(2);
  expect(refused.err()).toMatch(/game cannot change from "tictactoe" to "connect4": .*start a new run for another game/);
  expect((await journal('r')).filter((e) => e.type === 'config.changed')).toHaveLength(1);
}, 60_000);

it('branches a run at an iteration, with its replay window, and runs the branch from that model', async () => {
  expect(await cli(['run', '--name', 'p', ...base, '--iterations', '3']).done).toBe(0);
  const fork = cli(['fork', 'p', '2', '--name', 'b', '--with-replay', '--iterations', '2', '--learning-rate', '0.001']);
  expect(await fork.done).toBe(0);
  expect(fork.out()).toMatch(/Branched run "b" from "p" at iteration 2, with its replay window; changed: iterations 3 → 2, learningRate 0.002 → 0.001/);
  const runJson = await json('b', 'run.json');
  expect(runJson.parent).toEqual({ run: 'p', iteration: 2, steps: 10 });
  expect(await readFile(join(dir, 'runs', 'b', 'models', 'iter-0000.onnx'), 'utf8')).toBe('FAKEONNX iter-0002.onnx');
  expect((await readdir(join(dir, 'runs', 'b', 'replay'))).sort()).toEqual(['iter-0001', 'iter-0002', 'parent-iter-0001', 'parent-iter-0002']);
  const events = await journal('b');
  expect(events[0]).toMatchObject({ type: 'run.created', parent: { run: 'p', iteration: 2 } });
  expect(events.find((e) => e.type === 'best.changed').entry).toMatchObject({ iteration: 0, reason: 'initial', note: expect.stringMatching(/branched from run "p" at iteration 2/) });
  // Iteration 1 of the branch trained from its iteration 0, on the parent's replay too, continuing the parent's steps.
  const trainerLog = await readFile(join(dir, 'runs', 'b', 'logs', 'iter-0001', 'trainer.log'), 'utf8');
  expect(trainerLog).toMatch(/--init \S*b\/models\/iter-0000\.onnx/);
  expect(trainerLog).toMatch(/parent-iter-0002/);
  expect(trainerLog).toMatch(/--start-step 10 /);
  expect((await json('b', 'eval_stats.json')).evaluations[0]).toMatchObject({ iteration: 1, vs_champion_iteration: 0 });

  const list = cli(['list', '--json']);
  expect(await list.done).toBe(0);
  expect(JSON.parse(list.out()).find((r: { name: string }) => r.name === 'b')).toMatchObject({ parent: { run: 'p', iteration: 2 }, iterations_done: 2 });
  const table = cli(['list']);
  expect(await table.done).toBe(0);
  expect(table.out()).toMatch(/^b\s+tictactoe\s+completed\s+2 \/ 2 iterations\s+\d+\s+.*\s+p@2$/m);
  expect(await cli(['fork', 'p', '9', '--name', 'c']).done).toBe(2);
}, 60_000);

it('stops a run that another process drives, through its request inbox', async () => {
  const run = cli(['run', '--name', 's', ...base, '--iterations', '50'], { FAKE_ENGINE: JSON.stringify({ delayMs: 30 }) });
  await waitFor(async () => (await journal('s').catch(() => [])).some((e) => e.type === 'iteration.completed'), 20_000);
  const stop = cli(['stop', 's']);
  expect(await stop.done).toBe(0);
  expect(stop.out()).toMatch(/asked the process driving "s" to stop/);
  expect(await run.done).toBe(0);
  expect(run.out()).toMatch(/Stopped after/);
  const states = (await journal('s')).filter((e) => e.type === 'run.state').map((e) => e.status);
  expect(states.slice(-2)).toEqual(['stopping', 'stopped']);
  const again = cli(['stop', 's']);
  expect(await again.done).toBe(0);
  expect(again.out()).toMatch(/is not running \(stopped\)/);
}, 60_000);

it('repair shows a corrupt journal line and changes nothing; with --yes it keeps a backup, cuts the journal and the run resumes', async () => {
  expect(await cli(['run', '--name', 'j', ...base]).done).toBe(0);
  const path = join(dir, 'runs', 'j', 'events.jsonl');
  const lines = (await readFile(path, 'utf8')).trim().split('\n');
  const broken = lines.findIndex((l) => l.includes('"iteration.started"') && l.includes('"iteration":2'));
  lines[broken] = '{"type":"iteration.started", not json';
  const damaged = `${lines.join('\n')}\n`;
  await writeFile(path, damaged);

  // A lock left by a driver that died on another host, whose lease has run out.
  const lock = join(dir, 'runs', 'j', 'run.lock');
  const renewed = new Date(Date.now() - 120_000).toISOString();
  await writeFile(lock, JSON.stringify({ host: 'node-17.cluster', pid: 4242, token: 'deadbeef', acquired_at: renewed, renewed_at: renewed, lease_seconds: 60 }));
  const look = cli(['repair', 'j']);
  expect(await look.done).toBe(2);
  expect(look.out()).toMatch(/^broke the run lock of process 4242 on node-17\.cluster \(its lease ran out at .*Z\)$/m);
  expect(existsSync(lock)).toBe(false);
  expect(look.out()).toMatch(new RegExp(`line ${broken + 1} is corrupt`));
  expect(look.out()).toMatch(new RegExp(`> +${broken + 1}  \\{"type":"iteration.started", not json`));
  expect(look.out()).toMatch(/Nothing changed/);
  expect(await readFile(path, 'utf8')).toBe(damaged);
  expect(await cli(['run', '--name', 'j']).done).not.toBe(0);

  const fix = cli(['repair', 'j', '--yes']);
  expect(await fix.done).toBe(0);
  expect(fix.out()).toMatch(/kept the whole journal in .*events\.jsonl\..*\.bak/);
  const backups = (await readdir(join(dir, 'runs', 'j'))).filter((f) => f.endsWith('.bak'));
  expect(backups).toHaveLength(1);
  expect(await readFile(join(dir, 'runs', 'j', backups[0]!), 'utf8')).toBe(damaged);
  expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(broken);
  // The run goes on from its first unfinished iteration.
  expect(await cli(['run', '--name', 'j']).done).toBe(0);
  expect((await json('j', 'loop_stats.json')).iterations.map((s: { iteration: number }) => s.iteration)).toEqual([1, 2]);
  expect(existsSync(join(dir, 'runs', 'j', 'stats.json'))).toBe(true);
}, 60_000);

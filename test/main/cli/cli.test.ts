import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FAKE_ENGINE_FLAGS, isAlive, runCli, tempDir, waitFor } from '../orchestrator/helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const cli = (args: string[], env: Record<string, string> = {}) => runCli(dir, args, env);

const runArgs = ['run', '--name', 'k', '--iterations', '3', '--episodes-per-iteration', '40', '--steps-per-iteration', '5', '--eval-games', '4', ...FAKE_ENGINE_FLAGS];

it('survives SIGKILL mid self-play: no child outlives it, and a second run resumes iterations 1..N in order, each once', async () => {
  const first = cli(runArgs, { FAKE_ENGINE: JSON.stringify({ delayMs: 100 }) });
  const journal = join(dir, 'runs', 'k', 'events.jsonl');
  // Wait until the second iteration's self-play is under way.
  await waitFor(async () => /"type":"phase.started","iteration":2,"phase":"selfplay"/.test(await readFile(journal, 'utf8').catch(() => '')), 20_000);
  const childrenOf = async (pid: number) => (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).map(Number).filter(Boolean);
  let children: number[] = [];
  await waitFor(async () => {
    children = await childrenOf(first.child.pid!);
    return children.length >= 2;
  }, 10_000);
  first.child.kill('SIGKILL');
  await first.done;
  await waitFor(() => children.every((pid) => !isAlive(pid)), 5_000);

  const second = cli(runArgs, { FAKE_ENGINE: JSON.stringify({ delayMs: 0 }) });
  expect(await second.done).toBe(0);
  expect(second.out()).toMatch(/Resuming run "k"/);
  const events = (await readFile(journal, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const completed = events.filter((e) => e.type === 'iteration.completed').map((e) => e.stats.iteration);
  expect(completed).toEqual([1, 2, 3]);
  const loop = JSON.parse(await readFile(join(dir, 'runs', 'k', 'loop_stats.json'), 'utf8'));
  expect(loop.iterations.map((s: { iteration: number }) => s.iteration)).toEqual([1, 2, 3]);

  // Once more: the target is reached, so nothing runs, and the output says which limit to raise.
  const journalBefore = await readFile(journal, 'utf8');
  const third = cli(runArgs);
  expect(await third.done).toBe(0);
  expect(third.out()).toMatch(/Run "k" in .*: 3 \/ 3 iterations \(its iteration target is reached: raise --iterations to continue\)/);
  expect(third.out()).not.toMatch(/running|Finished after/);
  expect(await readFile(journal, 'utf8')).toBe(journalBefore);
}, 60_000);

it('refuses every invalid setting before any process starts, naming the field, with exit code 2', async () => {
  const bad = cli(['run', '--name', 'bad', '--iterations', '0', '--gate-threshold', '1.5', '--selfplay-model', 'newest']);
  expect(await bad.done).toBe(2);
  expect(bad.err()).toMatch(/iterations: flag --iterations: iterations must be a whole number from 1/);
  expect(bad.err()).toMatch(/gateThreshold: flag --gate-threshold/);
  expect(bad.err()).toMatch(/selfplayModel: .*one of best, latest/);
  const { existsSync } = await import('node:fs');
  expect(existsSync(join(dir, 'runs', 'bad'))).toBe(false);
});

it('status, promote and revert work on a finished run; bad usage exits 2', async () => {
  const run = cli(runArgs.map((a) => (a === '3' ? '2' : a)).map((a) => (a === '40' ? '4' : a)));
  expect(await run.done).toBe(0);
  // Bound to the best the user knows of: a stale --if-best changes nothing.
  const stale = cli(['promote', 'k', '1', '--if-best', '7']);
  expect(await stale.done).toBe(1);
  expect(stale.err()).toMatch(/the best model changed since you confirmed: it is now iteration \d .*, not iteration 7; nothing changed/);
  const promote = cli(['promote', 'k', '1']);
  expect(await promote.done).toBe(0);
  expect(promote.out()).toMatch(/best model of "k" is now iteration 1, was iteration \d \(manual by .*@cli/);
  const revert = cli(['revert', 'k', '--if-best', '1']);
  expect(await revert.done).toBe(0);
  const status = cli(['status', 'k']);
  expect(await status.done).toBe(0);
  expect(status.out()).toMatch(/run k \(tictactoe\): completed, 2 \/ 2 iterations/);
  // The best model's rating and accuracy (the fake engine answers move 1 to every accuracy position).
  expect(status.out()).toMatch(/best model: iteration \d .*; rating -?\d+ Elo \(95%: -?\d+ to -?\d+; random = 0\), accuracy \d+\.\d% of 269 tictactoe-v1 positions/);
  // Iteration 2 met iteration 1 at the gate: the gate's record counts it.
  expect(status.out()).toMatch(/\ngate: [01] promotions? over 1 candidate\b.*\. (No candidate is|1 of 1 candidate is) rated significantly below the best model it played/);
  const ratings = cli(['ratings', 'k']);
  expect(await ratings.done).toBe(0);
  expect(ratings.out()).toMatch(/^ratings of run "k": Bradley-Terry over \d+ games/);
  const ladder = ratings
    .out()
    .split('\n')
    .slice(2)
    .filter((l) => /^ {2}\S/.test(l) && !l.includes('the best model'));
  expect(ladder.map((l) => l.trim().split(/\s+/)[0])).toEqual(expect.arrayContaining(['iter-0001', 'iter-0002', 'random']));
  // Strongest first.
  const elos = ladder.map((l) => Number(l.trim().split(/\s+/)[l.includes(' * ') || /\*\s/.test(l) ? 2 : 1]));
  expect([...elos].sort((a, b) => b - a)).toEqual(elos);
  const json = cli(['ratings', 'k', '--json']);
  expect(await json.done).toBe(0);
  expect(JSON.parse(json.out())).toEqual(JSON.parse(await readFile(join(dir, 'runs', 'k', 'ratings.json'), 'utf8')));
  const best = JSON.parse(await readFile(join(dir, 'runs', 'k', 'best_model.json'), 'utf8'));
  expect(best.history.map((h: { reason: string }) => h.reason)).toEqual(['initial', 'gate', 'manual', 'revert']);
  expect(await cli(['promote', 'k', 'two']).done).toBe(2);
  expect(await cli(['status', 'missing']).done).toBe(2);
  expect(await cli(['frobnicate']).done).toBe(2);
});

it('promote and revert from another process reach the process driving the run, which carries them out and goes on', async () => {
  // Long enough to outlast the requests; stopped at the end.
  const run = cli(
    runArgs.map((a) => (a === '3' ? '200' : a)),
    { FAKE_ENGINE: JSON.stringify({ delayMs: 20, arena: { vsBest: 'llll' } }) },
  );
  const journal = join(dir, 'runs', 'k', 'events.jsonl');
  await waitFor(async () => /"type":"iteration.completed".*"iteration":2/.test(await readFile(journal, 'utf8').catch(() => '')), 30_000);

  // The gate never promotes here (candidates lose), so the best the command starts from stays the best.
  const promote = cli(['promote', 'k', '2']);
  expect(await promote.done).toBe(0);
  expect(promote.out()).toMatch(/best model of "k" is now iteration 2, was iteration 1 \(manual by .*@cli/);
  expect(await cli(['revert', 'k']).done).toBe(0);
  const bad = cli(['promote', 'k', '99']);
  expect(await bad.done).not.toBe(0);
  expect(bad.err()).toMatch(/iteration 99/);
  expect(run.child.exitCode).toBeNull(); // still driving the run
  expect(await cli(['stop', 'k']).done).toBe(0);

  expect(await run.done).toBe(0);
  const events = (await readFile(journal, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  // One writer: every change is in the driving process's journal, in order, and every iteration it finished is there once.
  const changes = events.filter((e) => e.type === 'best.changed').map((e) => e.entry);
  expect(changes.map((c: { reason: string }) => c.reason)).toContain('manual');
  expect(changes.find((c: { reason: string }) => c.reason === 'manual').iteration).toBe(2);
  expect(changes.map((c: { reason: string }) => c.reason)).toContain('revert');
  const completed = events.filter((e) => e.type === 'iteration.completed').map((e) => e.stats.iteration);
  expect(completed).toEqual(completed.map((_: number, i: number) => i + 1));
  expect(
    events
      .filter((e) => e.type === 'run.state')
      .map((e) => e.status)
      .slice(-2),
  ).toEqual(['stopping', 'stopped']);
  const { readdir } = await import('node:fs/promises');
  expect(await readdir(join(dir, 'runs', 'k', 'requests'))).toEqual([]);
}, 60_000);

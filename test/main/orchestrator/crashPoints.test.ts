import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { RunEvent } from '../../../src/shared/events';
import { crashPointKey } from '../../../src/main/orchestrator/state/crashPoint';
import { FAKE_ENGINE_FLAGS, runCli, withTempDirPerTest } from './helpers';

let dir: string;
withTempDirPerTest((d) => (dir = d));

// Every gate promotes, so each iteration's evaluation journals a promotion; the next iteration's
// self-play overlaps this one's training and evaluation (the default).
const ENGINE = { FAKE_ENGINE: JSON.stringify({ delayMs: 1, arena: { vsBest: 'wwww' } }) };
const RUN = [
  'run',
  '--name',
  'c',
  '--game',
  'tictactoe',
  '--iterations',
  '2',
  '--episodes-per-iteration',
  '4',
  '--num-actors',
  '2',
  '--steps-per-iteration',
  '3',
  '--eval-games',
  '4',
  ...FAKE_ENGINE_FLAGS,
];

const journal = async (runsDir: string): Promise<RunEvent[]> =>
  (await readFile(join(runsDir, 'c', 'events.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

/** Kinds of journal lines whose second occurrence is a case of its own: the overlap (iteration 2 starting beside 1) and iteration 2's gate. */
const SECOND = new Set(['iteration.started', 'phase.started:selfplay', 'eval.completed', 'iteration.completed', 'best.changed']);

/** Each kind of journal line of a two-iteration run (its first occurrence, and the second where it is another case), as "key#occurrence". */
function crashPoints(events: RunEvent[]): string[] {
  const counts = new Map<string, number>();
  const points: string[] = [];
  for (const event of events) {
    const key = crashPointKey(event);
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (key !== 'run.created' && (n === 1 || (n === 2 && SECOND.has(key)))) points.push(`${key}#${n}`);
  }
  return points;
}

it('a run SIGKILLed after each kind of journal line of an iteration resumes to the end, each iteration once, with its best model on disk', async () => {
  // The reference: the journal of a run that nothing interrupts.
  const reference = join(dir, 'reference');
  expect(await runCli(dir, [...RUN, '--runs-dir', reference], ENGINE).done).toBe(0);
  const points = crashPoints(await journal(reference));
  expect(points).toEqual(expect.arrayContaining(['iteration.started#2', 'phase.completed:train#1', 'eval.completed#1', 'best.changed#2', 'iteration.completed#1']));

  const failures: string[] = [];
  const check = async (point: string) => {
    const runsDir = join(dir, point.replace(/[^a-z0-9]/gi, '_'));
    const crashed = runCli(dir, [...RUN, '--runs-dir', runsDir], { ...ENGINE, LOOPDECK_KILL_AFTER: point });
    await crashed.done;
    if (crashed.child.signalCode !== 'SIGKILL') return failures.push(`${point}: the run was not killed there (exit ${crashed.child.exitCode})`);
    const resumed = runCli(dir, ['run', '--name', 'c', '--runs-dir', runsDir], ENGINE);
    if ((await resumed.done) !== 0) return failures.push(`${point}: the resume failed: ${resumed.err().trim().split('\n').slice(-3).join(' | ')}`);
    const events = await journal(runsDir);
    const completed = events.flatMap((e) => (e.type === 'iteration.completed' ? [e.stats.iteration] : []));
    if (completed.join() !== '1,2') return failures.push(`${point}: iterations completed ${completed.join()}`);
    const best = JSON.parse(await readFile(join(runsDir, 'c', 'best_model.json'), 'utf8'));
    const model = join(runsDir, 'c', best.model_path);
    if (!existsSync(model) || (await readFile(model, 'utf8')) !== (await readFile(join(runsDir, 'c', 'models', 'best.onnx'), 'utf8')))
      return failures.push(`${point}: best model iteration ${best.iteration} is not what models/best.onnx holds`);
    await rm(runsDir, { recursive: true, force: true });
  };
  // Two at a time: each is two short CLI runs.
  const queue = [...points];
  await Promise.all(
    [0, 1].map(async () => {
      for (let point = queue.shift(); point; point = queue.shift()) await check(point);
    }),
  );
  expect(failures).toEqual([]);
}, 300_000);

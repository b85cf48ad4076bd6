import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Notice, RunEvent } from '../../../src/shared/events';
import { Orchestrator } from '../../../src/main/orchestrator/orchestrator';
import { fakeConfig, withTempDirPerTest } from './helpers';

let dir: string;
withTempDirPerTest((d) => (dir = d));

const APPEND = resolve(__dirname, '../../fixtures/processes/append-stdin.mjs');

describe('notices of a run', () => {
  it('go to notifyCommand as JSON on stdin, one at a time, and to listeners as notice events', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ arena: { vsBest: 'wwww' } });
    const sink = join(dir, 'notices.jsonl');
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 3, notifyCommand: [process.execPath, APPEND, sink] }));
    const pushed: Notice[] = [];
    orchestrator.onEvent((e: RunEvent) => e.type === 'notice' && pushed.push(e.notice));
    expect(await orchestrator.run()).toBe('completed');
    await orchestrator.close();
    const sent = (await readFile(sink, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Notice);
    expect(sent.map((n) => [n.kind, n.iteration])).toEqual([
      ['best.changed', 2],
      ['best.changed', 3],
      ['run.completed', null],
    ]);
    expect(sent[2]).toMatchObject({ run: 'fake', message: expect.stringMatching(/^run "fake" completed: /) });
    expect(pushed).toEqual(sent);
  });

  it('a notify command that fails is said in the log, and the run goes on', async () => {
    const sink = join(dir, 'notices.jsonl');
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 1, notifyCommand: [process.execPath, APPEND, sink, '3'] }));
    const logged: string[] = [];
    orchestrator.onEvent((e: RunEvent) => e.type === 'log.lines' && logged.push(...e.lines));
    expect(await orchestrator.run()).toBe('completed');
    await orchestrator.close();
    expect(logged).toContainEqual(expect.stringMatching(/notifyCommand \(.*append-stdin\.mjs .*\) failed for a run\.completed notice: exit 3: the chat server said no/));
  });
});

import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/shared/events';
import { writeFileAtomic } from '../../../src/node/atomicWrite';
import { Orchestrator } from '../../../src/main/orchestrator/orchestrator';
import { RunFailedError } from '../../../src/main/orchestrator/sessionEnd';
import { fakeConfig, isAlive, waitFor, readJson, withTempDirPerTest } from './helpers';

let dir: string;
withTempDirPerTest((d) => (dir = d));

/** Resumes the run "fake" with a fast engine until it completes; the iterations it started. */
async function resumeToTheEnd(): Promise<number[]> {
  process.env.FAKE_ENGINE = JSON.stringify({ delayMs: 0 });
  const resumed = await Orchestrator.open(dir, 'fake');
  const started: number[] = [];
  resumed.onEvent((e) => e.type === 'iteration.started' && started.push(e.iteration));
  expect(await resumed.run()).toBe('completed');
  await resumed.close();
  return started;
}

describe('Orchestrator with the fake engine', () => {
  it('runs every iteration in order and writes the journal and projections', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ arena: { vsBest: 'wwwl', vsRandom: 'wwwd' } });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 3 }));
    const events: RunEvent[] = [];
    orchestrator.onEvent((e) => events.push(e));
    expect(await orchestrator.run()).toBe('completed');

    const loop = await readJson(orchestrator.paths.loopStats);
    expect(loop.iterations.map((s: { iteration: number }) => s.iteration)).toEqual([1, 2, 3]);
    expect(loop.iterations[0]).toMatchObject({ episodes: 6, transitions: 42, steps: 5 });
    expect(loop.config.episodes_per_iteration).toBe(6);

    const evals = (await readJson(orchestrator.paths.evalStats)).evaluations;
    expect(evals[0]).toMatchObject({ iteration: 1, vs_champion: null, promoted: true });
    expect(evals[0].vs_random).toMatchObject({ wins: 3, draws: 1, losses: 0, score: 0.875 });
    // 3 wins of 4 vs best: score 0.75 > the gate.
    expect(evals[1]).toMatchObject({ iteration: 2, vs_champion_iteration: 1, promoted: true });
    expect(evals[1].vs_champion.score).toBe(0.75);

    const best = await readJson(orchestrator.paths.bestModelJson);
    expect(best.iteration).toBe(3);
    expect(best.history.map((h: { iteration: number; reason: string }) => [h.iteration, h.reason])).toEqual([
      [1, 'initial'],
      [2, 'gate'],
      [3, 'gate'],
    ]);
    expect(await readFile(orchestrator.paths.bestModel, 'utf8')).toBe('FAKEONNX iter-0003.onnx');

    const stats = await readJson(orchestrator.paths.stats);
    expect(stats.history.length).toBeGreaterThan(0);
    expect(stats.history.at(-1).step).toBe(15);
    const types = events.map((e) => e.type);
    expect(types).toContain('phase.progress');
    expect(types).toContain('log.lines');
    expect(types.filter((t) => t !== 'notice').at(-1)).toBe('run.state');
  });

  it('keeps the best model when the gate is not passed, counting draws as half', async () => {
    // 1 win 2 draws 1 loss: score 0.5, not above 0.55.
    process.env.FAKE_ENGINE = JSON.stringify({ arena: { vsBest: 'wddl' } });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { gateThreshold: 0.55 }));
    await orchestrator.run();
    const evals = (await readJson(orchestrator.paths.evalStats)).evaluations;
    expect(evals[1].vs_champion).toMatchObject({ wins: 1, draws: 2, losses: 1, score: 0.5 });
    expect(evals[1].promoted).toBe(false);
    expect((await readJson(orchestrator.paths.bestModelJson)).iteration).toBe(1);
  });

  it('retries a crashed actor for its remaining episodes only', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ selfplay: { crash: { actor: 1, afterEpisodes: 2, times: 1 } } });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 1 }));
    await orchestrator.run();
    const log = await readFile(orchestrator.paths.log(1, 'actor-1'), 'utf8');
    expect(log).toMatch(/crashing as told after 2/);
    // The retry is asked for the 1 episode not yet saved (3 assigned, 2 saved in a shard).
    expect(log).toMatch(/--episodes 1 /);
    const loop = await readJson(orchestrator.paths.loopStats);
    expect(loop.iterations[0].episodes).toBe(6);
  });

  it('kills a hung trainer after the stall timeout and retries it', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ train: { hang: { afterSteps: 1, times: 1 } } });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 1, stallTimeout: 1 }), { graceMs: 300 });
    expect(await orchestrator.run()).toBe('completed');
    const log = await readFile(orchestrator.paths.log(1, 'trainer'), 'utf8');
    expect(log).toMatch(/no output for 1 s: killing trainer as hung/);
  });

  it('stops the run after maxRetries with an error naming the process and its last log lines', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ selfplay: { crash: { actor: 2, afterEpisodes: 0 } } });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { maxRetries: 1 }));
    const events: RunEvent[] = [];
    orchestrator.onEvent((e) => events.push(e));
    const error = await orchestrator.run().catch((e) => e);
    expect(error).toBeInstanceOf(RunFailedError);
    expect(error.message).toMatch(/actor-2 failed: exited with code 3/);
    expect(error.message).toMatch(/crashing as told after 0/);
    const runError = events.find((e) => e.type === 'run.error');
    expect(runError).toMatchObject({ error: { process: 'actor-2', exit_code: 3 } });
    expect(events.filter((e) => e.type !== 'notice').at(-1)).toMatchObject({ type: 'run.state', status: 'failed' });
  });

  it('fails a process that prints garbage on stdout', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ selfplay: { garbage: true } });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { episodesPerIteration: 60, numActors: 1, maxRetries: 0 }));
    await expect(orchestrator.run()).rejects.toThrow(/not protocol events/);
  });

  it('fails a trainer that exits 0 without writing its model, and one that exits non-zero', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ train: { noModel: true } });
    const a = await Orchestrator.create(fakeConfig(dir, { name: 'a', maxRetries: 0 }));
    await expect(a.run()).rejects.toThrow(/wrote no model/);
    process.env.FAKE_ENGINE = JSON.stringify({ train: { exitCode: 4 } });
    const b = await Orchestrator.create(fakeConfig(dir, { name: 'b', maxRetries: 0 }));
    await expect(b.run()).rejects.toThrow(/trainer failed: exited with code 4/);
  });

  it('stop() reaps every child and the run resumes at the interrupted iteration', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ delayMs: 200 });
    const pids: number[] = [];
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 2, episodesPerIteration: 40 }), { graceMs: 500, onSpawn: (_, pid) => pids.push(pid) });
    const running = orchestrator.run();
    await waitFor(() => pids.length === 2);
    await orchestrator.stop();
    expect(await running).toBe('stopped');
    expect(pids.filter(isAlive)).toEqual([]);
    // One driver per run, also within a process: the first handle holds the lock until it is closed.
    await expect(Orchestrator.open(dir, 'fake')).rejects.toThrow(/already open in this process/);
    await orchestrator.close();

    expect(await resumeToTheEnd()).toEqual([1, 2]);
    expect((await readJson(orchestrator.paths.loopStats)).iterations.map((s: { iteration: number }) => s.iteration)).toEqual([1, 2]);
  });

  it('a driver whose lock another host took over (it stalled past its lease) stops its children and writes nothing more', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ delayMs: 200 });
    const pids: number[] = [];
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 2, episodesPerIteration: 40 }), {
      graceMs: 500,
      onSpawn: (_, pid) => pids.push(pid),
      lease: { leaseSeconds: 60, renewMs: 50 },
    });
    const events: RunEvent[] = [];
    let journalAtLoss = '';
    orchestrator.onEvent((e) => {
      events.push(e);
      if (e.type === 'run.error') journalAtLoss = readFileSync(orchestrator.paths.events, 'utf8');
    });
    const running = orchestrator.run();
    await waitFor(() => pids.length === 2);
    // The other host holds the lock from now on, renewing it (so a renewal of ours that read the lock just before cannot win).
    const theirs = () => {
      const now = new Date().toISOString();
      return writeFileAtomic(orchestrator.paths.lock, JSON.stringify({ host: 'node-17.cluster', pid: 4242, token: 'theirs', acquired_at: now, renewed_at: now, lease_seconds: 60 }));
    };
    await theirs();
    const renewing = setInterval(() => void theirs(), 10);
    try {
      expect(await running).toBe('stopped');
    } finally {
      clearInterval(renewing);
    }
    expect(pids.filter(isAlive)).toEqual([]);
    expect(events.find((e) => e.type === 'run.error')).toMatchObject({ error: { message: expect.stringMatching(/lost the run lock to process 4242 on node-17\.cluster/) } });
    await orchestrator.close();
    expect(journalAtLoss).not.toBe('');
    expect(await readFile(orchestrator.paths.events, 'utf8')).toBe(journalAtLoss);
    expect(JSON.parse(await readFile(orchestrator.paths.lock, 'utf8'))).toMatchObject({ host: 'node-17.cluster' });
  });

  it('a promote requested during an arena waits for it, and the history records who and when', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ arena: { vsBest: 'llll', gameDelayMs: 150 } });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 3 }));
    let promoteResolvedAt = 0;
    let arenaEndedAt = 0;
    let pendingSeen: unknown = null;
    orchestrator.onEvent((e) => {
      // Iteration 2 has completed (its candidate lost: iteration 1 stays best); iteration 3 plays its gate.
      if (e.type === 'phase.started' && e.phase === 'eval' && e.iteration === 3) {
        setTimeout(() => {
          expect(orchestrator.view().pending_best_change).toBeNull();
          void orchestrator.best.promote(2, 'tester@test', 1).then(() => (promoteResolvedAt = performance.now()));
          setTimeout(() => (pendingSeen = orchestrator.view().pending_best_change), 10);
        }, 50);
      }
      if (e.type === 'phase.completed' && e.phase === 'eval' && e.iteration === 3) arenaEndedAt = performance.now();
    });
    await orchestrator.run();
    await waitFor(() => promoteResolvedAt > 0);
    expect(pendingSeen).toEqual({ action: 'promote', iteration: 2 });
    expect(promoteResolvedAt).toBeGreaterThan(arenaEndedAt);
    const best = await readJson(orchestrator.paths.bestModelJson);
    expect(best).toMatchObject({ iteration: 2, reason: 'manual', by: 'tester@test' });
    expect(best.history.map((h: { reason: string }) => h.reason)).toEqual(['initial', 'manual']);
    expect(Date.parse(best.promoted_at)).toBeGreaterThan(0);

    const reverted = await orchestrator.best.revert('tester@test', 2);
    expect(reverted).toMatchObject({ iteration: 1, reason: 'revert' });
    await expect(orchestrator.best.revert('tester@test', 1)).rejects.toThrow(/no previous best/);
    await expect(orchestrator.best.promote(9, 'tester@test', 1)).rejects.toThrow(/iteration 9 has not completed/);
  });

  it('rebuilds a corrupt loop_stats.json from the journal and refuses a corrupt journal line', async () => {
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 1 }));
    await orchestrator.run();
    await orchestrator.close();
    const good = await readFile(orchestrator.paths.loopStats, 'utf8');
    await writeFile(orchestrator.paths.loopStats, good.slice(0, 40));
    const reopened = await Orchestrator.open(dir, 'fake');
    expect(reopened.repairs.join('\n')).toMatch(/rebuilt .*loop_stats.json/);
    expect(await readFile(orchestrator.paths.loopStats, 'utf8')).toBe(good);
    await reopened.close();

    const journal = await readFile(orchestrator.paths.events, 'utf8');
    const lines = journal.split('\n');
    lines[2] = '{"type": "iteration.started", broken';
    await writeFile(orchestrator.paths.events, lines.join('\n'));
    await expect(Orchestrator.open(dir, 'fake')).rejects.toThrow(/events.jsonl: line 3 is corrupt/);
    expect(await readFile(orchestrator.paths.events, 'utf8')).toBe(lines.join('\n'));
  });

  it('a time budget ends the run at the first iteration boundary after it is spent', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ delayMs: 30 });
    // 0.005 minutes = 0.3 s of iteration time: the first iteration takes longer.
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 3, timeBudgetMinutes: 0.005 }));
    const states: string[] = [];
    orchestrator.onEvent((e) => e.type === 'run.state' && states.push(e.message ?? ''));
    expect(await orchestrator.run()).toBe('completed');
    expect((await readJson(orchestrator.paths.loopStats)).iterations).toHaveLength(1);
    // Iteration 1's self-play alone spent the budget: iteration 2 was not started early.
    expect(orchestrator.view().state.current_iteration).toBeNull();
    expect(states.at(-1)).toMatch(/^the time budget of 0.005 minutes is spent after 1 iterations \(raise timeBudgetMinutes to continue\)/);
    // Run again as is: nothing to do. With a bigger budget the run continues.
    expect(await orchestrator.run()).toBe('completed');
    expect((await readJson(orchestrator.paths.loopStats)).iterations).toHaveLength(1);
    await orchestrator.settings.change({ timeBudgetMinutes: 60 }, 'test');
    expect(await orchestrator.run()).toBe('completed');
    expect((await readJson(orchestrator.paths.loopStats)).iterations).toHaveLength(3);
    await orchestrator.close();
  });

  it("overlaps the next iteration's self-play with this one's training and evaluation, one gate behind", async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ delayMs: 20, arena: { vsBest: 'wwwl' } });
    const started = performance.now();
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 3 }));
    const events: RunEvent[] = [];
    const phasesWhileTraining: [number, string][][] = [];
    orchestrator.onEvent((e) => {
      events.push(e);
      if (e.type === 'phase.started' && e.phase === 'train') phasesWhileTraining.push(orchestrator.view().state.phases.map((p) => [p.iteration, p.phase]));
    });
    expect(await orchestrator.run()).toBe('completed');
    const wall = (performance.now() - started) / 1000;
    const index = (match: (e: RunEvent) => boolean) => events.findIndex(match);
    // Iteration 2's self-play starts as iteration 1's ends, before iteration 1 trains.
    const secondStarts = index((e) => e.type === 'iteration.started' && e.iteration === 2);
    expect(secondStarts).toBeGreaterThan(index((e) => e.type === 'phase.completed' && e.phase === 'selfplay' && e.iteration === 1));
    expect(secondStarts).toBeLessThan(index((e) => e.type === 'phase.started' && e.phase === 'train' && e.iteration === 1));
    // The panel sees both phases under way.
    expect(phasesWhileTraining[0]).toEqual([
      [1, 'train'],
      [2, 'selfplay'],
    ]);
    // Each iteration's self-play plays the best model known when it starts: iteration 2 has none yet
    // (rollouts), iteration 3 plays iteration 1, though iteration 2 passed its gate meanwhile.
    const models = events.flatMap((e) => (e.type === 'iteration.started' ? [[e.iteration, e.selfplay_model]] : []));
    expect(models).toEqual([
      [1, null],
      [2, null],
      [3, 1],
    ]);
    expect((await readJson(orchestrator.paths.bestModelJson)).iteration).toBe(3);
    // Overlapping iterations add up to no more than the wall time (the time budget's measure).
    const loop = await readJson(orchestrator.paths.loopStats);
    const counted = loop.iterations.reduce((sum: number, s: { total_time: number }) => sum + s.total_time, 0);
    expect(counted).toBeLessThanOrEqual(wall);
    expect(counted).toBeGreaterThan(0.5 * wall);
    await orchestrator.close();
  });

  it('with overlapSelfplay off, runs one phase after another and self-play plays the newest best', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ arena: { vsBest: 'wwwl' } });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 3, overlapSelfplay: false }));
    const events: RunEvent[] = [];
    orchestrator.onEvent((e) => events.push(e));
    expect(await orchestrator.run()).toBe('completed');
    const order = events.flatMap((e) =>
      e.type === 'iteration.started' ? [`start ${e.iteration} playing ${e.selfplay_model}`] : e.type === 'iteration.completed' ? [`done ${e.stats.iteration}`] : [],
    );
    expect(order).toEqual(['start 1 playing null', 'done 1', 'start 2 playing 1', 'done 2', 'start 3 playing 2', 'done 3']);
    await orchestrator.close();
  });

  /** The learning rates the trainer was handed, per iteration (the fake engine echoes --lr in its progress). */
  async function ratesByIteration(orchestrator: Orchestrator): Promise<number[][]> {
    const history: { iteration: number; learning_rate: number }[] = (await readJson(orchestrator.paths.stats)).history;
    const iterations = [...new Set(history.map((p) => p.iteration))];
    return iterations.map((i) => [...new Set(history.filter((p) => p.iteration === i).map((p) => p.learning_rate))]);
  }

  it('hands the trainer a learning rate that falls to a tenth over the cooldown at the end of the iteration target', async () => {
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 4, learningRate: 0.002, lrCooldown: 0.5 }));
    expect(await orchestrator.run()).toBe('completed');
    // Each iteration's training counts as of its end: 1-4 of 4 iterations; the cooldown covers the second half.
    expect(await ratesByIteration(orchestrator)).toEqual([[0.002], [0.002], [expect.closeTo(0.002 * 0.55, 9)], [expect.closeTo(0.0002, 9)]]);
    await orchestrator.close();
  });

  it('measures the cooldown against the time budget too, and a raised limit lifts the rate back', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ delayMs: 50 });
    // 30 ms of budget: iteration 1's self-play (processes started, each waiting 50 ms to report) spends it, so it
    // trains at the floor (1 of 1,000 iterations alone would not).
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 1000, timeBudgetMinutes: 0.0005, learningRate: 0.002, lrCooldown: 0.5 }));
    expect(await orchestrator.run()).toBe('completed');
    expect(await ratesByIteration(orchestrator)).toEqual([[expect.closeTo(0.0002, 9)]]);
    // Continued to 3 iterations within an hour: iteration 2 ends 2/3 of the way, iteration 3 the run.
    process.env.FAKE_ENGINE = JSON.stringify({ delayMs: 0 });
    await orchestrator.settings.change({ iterations: 3, timeBudgetMinutes: 60 }, 'test');
    expect(await orchestrator.run()).toBe('completed');
    expect(await ratesByIteration(orchestrator)).toEqual([[expect.closeTo(0.0002, 9)], [expect.closeTo(0.0014, 9)], [expect.closeTo(0.0002, 9)]]);
    await orchestrator.close();
  });

  it('resumes a run journaled before a setting existed with that setting at its default', async () => {
    const created = await Orchestrator.create(fakeConfig(dir, { iterations: 2 }));
    await created.close();
    const journal = await readFile(created.paths.events, 'utf8');
    expect(journal).toContain('"lrCooldown":0,');
    await writeFile(created.paths.events, journal.replace('"lrCooldown":0,', ''));
    const resumed = await Orchestrator.open(dir, 'fake');
    expect(resumed.view().state.config?.lrCooldown).toBe(0);
    expect(await resumed.run()).toBe('completed');
    expect(await ratesByIteration(resumed)).toEqual([[0.002], [0.002]]);
    await resumed.close();
  });

  it("stop() during an overlap reaps both iterations' children, and both are redone on resume", async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ delayMs: 100 });
    const pids: number[] = [];
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 2, stepsPerIteration: 50 }), { graceMs: 500, onSpawn: (_, pid) => pids.push(pid) });
    const states: string[] = [];
    let training = false;
    orchestrator.onEvent((e) => {
      if (e.type === 'phase.started' && e.phase === 'train') training = true;
      if (e.type === 'run.state') states.push(`${e.status}: ${e.message}`);
    });
    const running = orchestrator.run();
    await waitFor(() => training);
    await orchestrator.stop();
    expect(await running).toBe('stopped');
    expect(pids.length).toBeGreaterThanOrEqual(5);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(states.at(-1)).toBe('stopped: stopped during iterations 1 and 2; they will be redone from their starts on resume');
    await orchestrator.close();

    expect(await resumeToTheEnd()).toEqual([1, 2]);
  });

  it("cancels the next iteration's early self-play when the time budget turns out spent, leaving no child behind", async () => {
    // Self-play (3 games per actor) takes well under the budget of 1.8 s; training (20 steps) takes it over.
    process.env.FAKE_ENGINE = JSON.stringify({ delayMs: 100 });
    const pids: number[] = [];
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 3, stepsPerIteration: 20, timeBudgetMinutes: 0.03 }), { graceMs: 500, onSpawn: (_, pid) => pids.push(pid) });
    const lines: string[] = [];
    const started: number[] = [];
    orchestrator.onEvent((e) => {
      if (e.type === 'iteration.started') started.push(e.iteration);
      if (e.type === 'log.lines' && e.process === 'orchestrator') lines.push(...e.lines);
    });
    expect(await orchestrator.run()).toBe('completed');
    expect(started).toEqual([1, 2]);
    expect(lines).toContain("[loopdeck] iteration 2's self-play, started early, is cancelled: the run has reached its time budget");
    expect((await readJson(orchestrator.paths.loopStats)).iterations).toHaveLength(1);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(orchestrator.view().state.phases).toEqual([]);
    await orchestrator.close();
  });

  it('settings changed during self-play wait for the iteration to end: the next one then starts after it, with them', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ delayMs: 20 });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 2 }));
    const order: string[] = [];
    orchestrator.onEvent((e) => {
      if (e.type === 'phase.started' && e.phase === 'selfplay' && e.iteration === 1) void orchestrator.settings.change({ evalGames: 6 }, 'test');
      if (e.type === 'iteration.started') order.push(`start ${e.iteration}`);
      if (e.type === 'iteration.completed') order.push(`done ${e.stats.iteration}`);
      if (e.type === 'config.changed') order.push(`settings from ${e.from_iteration}`);
    });
    expect(await orchestrator.run()).toBe('completed');
    expect(order).toEqual(['start 1', 'done 1', 'settings from 2', 'start 2', 'done 2']);
    expect((await readJson(orchestrator.paths.evalStats)).evaluations[1].vs_champion.games).toBe(6);
    await orchestrator.close();
  });

  it('a target lowered while the next iteration self-plays early ends the run at it, cancelling that self-play', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ delayMs: 20 });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 5, stepsPerIteration: 20 }));
    const lines: string[] = [];
    const changes: number[] = [];
    orchestrator.onEvent((e) => {
      if (e.type === 'phase.started' && e.phase === 'train' && e.iteration === 1) void orchestrator.settings.change({ iterations: 1 }, 'test');
      if (e.type === 'log.lines' && e.process === 'orchestrator') lines.push(...e.lines);
      if (e.type === 'config.changed') changes.push(e.from_iteration);
    });
    expect(await orchestrator.run()).toBe('completed');
    expect((await readJson(orchestrator.paths.loopStats)).iterations).toHaveLength(1);
    expect(lines).toContain("[loopdeck] iteration 2's self-play, started early, is cancelled: the run has reached its iteration target");
    expect(changes).toEqual([2]);
    expect(orchestrator.config.iterations).toBe(1);
    await orchestrator.close();
  });

  it('refuses to create a run that already exists', async () => {
    await Orchestrator.create(fakeConfig(dir));
    await expect(Orchestrator.create(fakeConfig(dir))).rejects.toThrow(/already exists/);
  });
});

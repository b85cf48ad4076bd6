import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArenaEvent } from '../../../../src/shared/protocol';
import { runProtocolProcess, type ProtocolProcessOptions } from '../../../../src/main/orchestrator/process/childProcess';
import { ProcessFailedError } from '../../../../src/main/orchestrator/process/processFailedError';
import { tempDir } from '../helpers';

const fixture = (name: string) => [process.execPath, resolve(__dirname, '../../../fixtures/processes', name)];
const ARENA_FLAGS = { game: 'tictactoe', a: 'a.onnx', b: 'random', games: 2, sims: 8, temperature: 0, seed: 1 };

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** An arena process of a fixture script; its events are collected. */
function arena(script: string, overrides: Partial<ProtocolProcessOptions<'arena'>> = {}, env: Record<string, string> = {}) {
  const events: ArenaEvent[] = [];
  const run = runProtocolProcess({
    name: 'arena-test',
    command: fixture(script),
    subcommand: 'arena',
    flags: ARENA_FLAGS,
    logFile: join(dir, 'arena-test.log'),
    stallTimeoutMs: 10_000,
    graceMs: 300,
    env,
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  return { run, events };
}

const lines = (...values: unknown[]) => ({ PRINT_LINES: JSON.stringify(values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))) });

describe('the protocol process runner', () => {
  it('passes the subcommand and flags, hands over typed events in order, and logs stderr to the log file', async () => {
    const { run, events } = arena(
      'print-lines.mjs',
      {},
      lines({ event: 'game', index: 0, a_first: true, result: 'win' }, '', { event: 'later-version', x: 1 }, { event: 'done', wins: 1, draws: 0, losses: 0 }),
    );
    await run;
    expect(events).toEqual([
      { event: 'game', index: 0, a_first: true, result: 'win' },
      { event: 'done', wins: 1, draws: 0, losses: 0 },
    ]);
    const log = await readFile(join(dir, 'arena-test.log'), 'utf8');
    expect(log).toContain('args: arena --game tictactoe --a a.onnx --b random --games 2 --sims 8 --temperature 0 --seed 1');
    expect(log).toMatch(/exit: 0 after/);
  });

  it('fails a process that sends an event with a bad field, naming the event and the field', async () => {
    const { run } = arena('print-lines.mjs', {}, lines({ event: 'done', wins: 1, draws: 'none', losses: 0 }));
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessFailedError);
    expect((error as Error).message).toContain('sent an event the orchestrator cannot use: the "done" event\'s "draws" must be a number (got "none")');
  });

  it('logs stray stdout lines, and fails the process past twenty of them', async () => {
    const few = arena('print-lines.mjs', {}, lines('hello', { no: 'event' }, { event: 'done', wins: 0, draws: 1, losses: 0 }));
    await few.run;
    expect(few.events).toEqual([{ event: 'done', wins: 0, draws: 1, losses: 0 }]);
    expect(await readFile(join(dir, 'arena-test.log'), 'utf8')).toContain('stdout line is not a protocol event: not JSON: hello');

    const many = arena('print-lines.mjs', {}, lines(...Array.from({ length: 25 }, (_, i) => `print ${i}`)));
    await expect(many.run).rejects.toThrow(/printed more than 20 stdout lines that are not protocol events/);
  });

  it('reports a non-zero exit with the command and the end of the log', async () => {
    const { run } = arena('print-lines.mjs', {}, { ...lines({ event: 'error', code: 'unknown_player', message: 'no such player: alphabeta:99' }), EXIT_CODE: '2' });
    const error = (await run.catch((e: unknown) => e)) as ProcessFailedError;
    expect(error).toBeInstanceOf(ProcessFailedError);
    expect(error.exitCode).toBe(2);
    expect(error.cancelled).toBe(false);
    expect(error.message).toMatch(/arena-test failed: exited with code 2\ncommand: .*print-lines\.mjs arena --game tictactoe/);
    expect(error.logTail).toContain('args: arena --game tictactoe --a a.onnx --b random --games 2 --sims 8 --temperature 0 --seed 1');
    expect(await readFile(join(dir, 'arena-test.log'), 'utf8')).toContain('arena-test reported an error: no such player: alphabeta:99');
  });

  it('kills a process silent for longer than the stall timeout, as hung', async () => {
    const { run } = arena('forever.mjs', { stallTimeoutMs: 300 });
    const error = (await run.catch((e: unknown) => e)) as ProcessFailedError;
    expect(error.stalled).toBe(true);
    expect(error.message).toContain('hung: no output for 0.3 s (stallTimeout), killed');
  });

  it('stops on the signal with SIGTERM, then SIGKILL after the grace period, and says it was a stop', async () => {
    const controller = new AbortController();
    let pid = 0;
    const { run } = arena('ignores-sigterm.mjs', { signal: controller.signal, onSpawn: (p) => (pid = p) });
    await new Promise((r) => setTimeout(r, 300));
    const stoppedAt = performance.now();
    controller.abort();
    const error = (await run.catch((e: unknown) => e)) as ProcessFailedError;
    const waited = performance.now() - stoppedAt;
    expect(error.cancelled).toBe(true);
    expect(error.signal).toBe('SIGKILL');
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(await readFile(join(dir, 'arena-test.log'), 'utf8')).toContain('ignoring SIGTERM');
  });

  it('fails a command that cannot start, saying so', async () => {
    const { run } = arena('print-lines.mjs', { command: [join(dir, 'no-such-program')] });
    await expect(run).rejects.toThrow(/arena-test failed: could not start/);
  });
});

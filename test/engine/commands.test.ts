import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnx } from '../../src/engine/net/onnxProto';
import { decodeSafetensors, encodeSafetensors } from '../../src/engine/replay/safetensors';
import { PROTOCOL_PARSERS } from '../../src/shared/protocol';

const ENGINE = resolve(__dirname, '../../bin/loopdeck-engine.js');

function engine(args: string[], input?: string, env: Record<string, string> = {}): Promise<{ code: number | null; events: any[]; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [ENGINE, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (input !== undefined) child.stdin.end(input);
    child.on('close', (code) =>
      resolvePromise({
        code,
        events: out.trim()
          ? out
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l))
          : [],
        stderr,
      }),
    );
    // Without input the engine keeps its stdin open, as under the orchestrator; it exits by itself when done.
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loopdeck-engine-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loopdeck-engine commands', () => {
  it('selfplay -> train -> arena -> bestmove, speaking the protocol', async () => {
    const replay = join(dir, 'replay', 'iter-0001');
    const sp = await engine(['selfplay', '--game', 'tictactoe', '--model', 'none', '--episodes', '12', '--sims', '16', '--temp-threshold', '4', '--seed', '1', '--actor-id', '2', '--out', replay]);
    expect(sp.code).toBe(0);
    const shards = sp.events.filter((e) => e.event === 'shard');
    expect(shards.reduce((s, e) => s + e.episodes, 0)).toBe(12);
    expect(sp.events.at(-1)).toMatchObject({ event: 'done', episodes: 12 });
    expect((await readdir(replay)).every((f) => /^actor-2-\d{3}\.safetensors$/.test(f))).toBe(true);
    expect(sp.stderr).toMatch(/no model: uniform priors, random-rollout values/);

    const model = join(dir, 'models', 'iter-0001.onnx');
    const trainFlags = ['--init', 'none', '--steps', '20', '--start-step', '0', '--batch-size', '32', '--lr', '0.002', '--threads', '2'];
    const tr = await engine(['train', '--game', 'tictactoe', '--replay', replay, ...trainFlags, '--out', model]);
    expect(tr.code).toBe(0);
    expect(tr.stderr).toMatch(/training on 2 threads/);
    expect(tr.events.filter((e) => e.event === 'progress').length).toBeGreaterThan(0);
    expect(tr.events.at(-1)).toMatchObject({ event: 'done', step: 20 });
    expect(existsSync(model) && existsSync(model.replace('.onnx', '.ckpt.safetensors'))).toBe(true);

    const ar = await engine(['arena', '--game', 'tictactoe', '--a', model, '--b', 'random', '--games', '6', '--sims', '8', '--temperature', '0', '--seed', '2']);
    expect(ar.code).toBe(0);
    const games = ar.events.filter((e) => e.event === 'game');
    expect(games.map((g) => g.a_first)).toEqual(expect.arrayContaining([true, false]));
    const done = ar.events.at(-1);
    expect(done.wins + done.draws + done.losses).toBe(6);

    const bm = await engine(['bestmove', '--game', 'tictactoe', '--model', model, '--sims', '16'], '5\nxyz\n12\n');
    expect(bm.code).toBe(0);
    expect(bm.events).toHaveLength(3);
    expect(bm.events[0]).toMatchObject({ position: '5' });
    expect(bm.events[0].move).toBeGreaterThanOrEqual(1);
    expect(bm.events[0].policy).toHaveLength(9);
    expect(bm.events[1]).toEqual({ position: 'xyz', error: expect.stringMatching(/cells 1-9/) });
    expect(bm.events[2].move).not.toBe(1);
  }, 60_000);

  it('train with a moving average of the weights exports the average, keeps the raw weights to continue from, and continues the average', async () => {
    const replay = join(dir, 'replay-average');
    expect((await engine(['selfplay', '--game', 'tictactoe', '--model', 'none', '--episodes', '8', '--sims', '8', '--temp-threshold', '4', '--seed', '5', '--out', replay])).code).toBe(0);
    const flags = ['--batch-size', '32', '--lr', '0.01', '--ema-decay', '0.9'];
    const first = join(dir, 'average', 'iter-0001.onnx');
    expect((await engine(['train', '--game', 'tictactoe', '--replay', replay, '--init', 'none', '--steps', '30', '--start-step', '0', ...flags, '--out', first])).code).toBe(0);
    const second = join(dir, 'average', 'iter-0002.onnx');
    const tr = await engine(['train', '--game', 'tictactoe', '--replay', replay, '--init', first, '--steps', '30', '--start-step', '30', ...flags, '--out', second]);
    expect(tr.code).toBe(0);
    expect(tr.stderr).toMatch(/continuing from checkpoint .*\(weights, their moving average and optimizer state\)/);
    for (const model of [first, second]) {
      const { tensors } = decodeSafetensors(await readFile(model.replace('.onnx', '.ckpt.safetensors')), model);
      const initializers = onnx.ModelProto.decode(await readFile(model)).graph!.initializer!;
      expect(initializers.length).toBeGreaterThan(0);
      for (const t of initializers) {
        const bytes = t.rawData!;
        const exported = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        expect(exported, t.name!).toEqual(tensors[`average/${t.name}`]!.data);
        expect(exported, t.name!).not.toEqual(tensors[`weight/${t.name}`]!.data);
      }
    }
    // The same iteration from a checkpoint without the average: the raw weights train identically,
    // but the average restarts at them, so the exported model differs.
    const bare = join(dir, 'average-bare', 'iter-0001.onnx');
    await mkdir(dirname(bare), { recursive: true });
    await copyFile(first, bare);
    const saved = decodeSafetensors(await readFile(first.replace('.onnx', '.ckpt.safetensors')), first);
    const withoutAverage = Object.fromEntries(Object.entries(saved.tensors).filter(([name]) => !name.startsWith('average/')));
    await writeFile(bare.replace('.onnx', '.ckpt.safetensors'), encodeSafetensors(withoutAverage, saved.metadata));
    const bareSecond = join(dir, 'average-bare', 'iter-0002.onnx');
    expect((await engine(['train', '--game', 'tictactoe', '--replay', replay, '--init', bare, '--steps', '30', '--start-step', '30', ...flags, '--out', bareSecond])).code).toBe(0);
    const continued = decodeSafetensors(await readFile(second.replace('.onnx', '.ckpt.safetensors')), second).tensors;
    const restarted = decodeSafetensors(await readFile(bareSecond.replace('.onnx', '.ckpt.safetensors')), bareSecond).tensors;
    expect(restarted['weight/input.w']!.data).toEqual(continued['weight/input.w']!.data);
    expect(restarted['average/input.w']!.data).not.toEqual(continued['average/input.w']!.data);

    const bad = await engine(['train', '--game', 'tictactoe', '--replay', replay, '--init', 'none', '--steps', '1', ...flags.slice(0, 4), '--ema-decay', '1', '--out', join(dir, 'x.onnx')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr + JSON.stringify(bad.events)).toMatch(/--ema-decay/);
  }, 60_000);

  it('arena plays reference players and records every game; a player it cannot play is an error event', async () => {
    const ar = await engine(['arena', '--game', 'connect4', '--a', 'alphabeta:2', '--b', 'random', '--games', '4', '--sims', '4', '--seed', '3']);
    expect(ar.code).toBe(0);
    const games = ar.events.filter((e) => e.event === 'game');
    expect(games).toHaveLength(4);
    for (const g of games) {
      expect(g.opening).toBe(3);
      expect(g.moves.length).toBeGreaterThanOrEqual(7);
      expect(g.search).toEqual(new Array(g.moves.length).fill(null));
    }
    // Depth-2 alpha-beta takes wins and blocks: it beats random.
    expect(ar.events.at(-1).wins).toBeGreaterThanOrEqual(3);
    for (const [spec, message] of [
      ['alphabeta:99', /depth must be from 1 to 8/],
      ['minimax:3', /unknown player "minimax:3"/],
    ] as const) {
      const bad = await engine(['arena', '--game', 'connect4', '--a', spec, '--b', 'random', '--games', '2', '--sims', '2']);
      expect(bad.code).toBe(2);
      expect(bad.events).toEqual([{ event: 'error', code: 'unknown_player', message: expect.stringMatching(message) }]);
    }
  });

  it('selfplay reports its first games as records when the environment asks for them, and works standalone with stdin closed', async () => {
    const out = join(dir, 'replay-records');
    const sp = await engine(['selfplay', '--game', 'tictactoe', '--model', 'none', '--episodes', '6', '--sims', '8', '--temp-threshold', '4', '--seed', '1', '--out', out], '', {
      LOOPDECK_RECORD_GAMES: '2',
    });
    expect(sp.code).toBe(0);
    const records = sp.events.filter((e) => e.event === 'game');
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r.search).toHaveLength(r.moves.length);
      expect(r.search[0].visits.reduce((a: number, b: number) => a + b, 0)).toBeGreaterThanOrEqual(7);
      expect(['first', 'second', 'draw']).toContain(r.result);
    }
    expect(sp.events.at(-1)).toMatchObject({ event: 'done', episodes: 6 });
  });

  it('with the lifeline on (as the orchestrator starts it), exits as soon as its stdin closes', async () => {
    const started = Date.now();
    const sp = await engine(['selfplay', '--game', 'connect4', '--model', 'none', '--episodes', '100000', '--sims', '50', '--temp-threshold', '4', '--seed', '1', '--out', join(dir, 'orphan')], '', {
      LOOPDECK_LIFELINE: '1',
    });
    expect(sp.code).toBe(129);
    expect(sp.stderr).toMatch(/exiting, stdin closed/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('bad input: unknown game, unknown flag, missing init', async () => {
    const a = await engine(['arena', '--game', 'chess', '--a', 'x', '--b', 'random', '--games', '2', '--sims', '2']);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/unknown game "chess"; known games: tictactoe, connect4/);
    const b = await engine(['selfplay', '--game', 'tictactoe', '--modle', 'none']);
    expect(b.stderr).toMatch(/unknown flag --modle/);
    const c = await engine(['train', '--game', 'tictactoe', '--replay', dir, '--init', join(dir, 'nope.onnx'), '--steps', '1', '--batch-size', '1', '--lr', '0.1', '--out', join(dir, 'x.onnx')]);
    expect(c.stderr).toMatch(/--init .*nope.onnx: no such model file/);
  });

  it("version says what the engine is: Loopdeck's version with the Node and ONNX Runtime it runs on", async () => {
    const answer = await engine(['version'], '', { LOOPDECK_LIFELINE: '1' });
    expect(answer.code).toBe(0);
    expect(answer.events).toHaveLength(1);
    const [line] = answer.events;
    expect(PROTOCOL_PARSERS.version(JSON.stringify(line))).toEqual(line);
    const manifest = JSON.parse(await readFile(resolve(__dirname, '../../package.json'), 'utf8'));
    expect(line).toMatchObject({ event: 'version', name: 'loopdeck-engine', version: manifest.version, details: { node: process.version, onnxruntime: expect.stringMatching(/^\d+\.\d+/) } });
    const wrong = await engine(['version', '--all']);
    expect(wrong.stderr).toMatch(/version: unknown flag --all; it takes no flags/);
  });
});

/**
 * The Python engine kit (python/loopdeck_kit) and the alpha-zero-general adapter (python/loopdeck_azg)
 * under the real orchestrator: their games declared, trained, rated and drawn through the protocol.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/main/orchestrator/orchestrator';
import { PositionBoards } from '../../src/main/orchestrator/service/positionBoards';
import { engineGames } from '../../src/main/orchestrator/service/engineGames';
import { readShard, writeShard } from '../../src/engine/replay/shardFile';
import { validateConfig } from '../../src/shared/config/validate';
import type { LoopConfigInput } from '../../src/shared/config/fields';
import { withTempDirPerTest } from '../main/orchestrator/helpers';

/** Debian's python3 sees Debian's numpy; .ci/run installs python3-numpy. */
const PYTHON = process.env.LOOPDECK_TEST_PYTHON ?? '/usr/bin/python3';
const ROOT = resolve(__dirname, '../..');
const KIT_GAME = [PYTHON, join(ROOT, 'python/examples/connect3.py')];
const AZG_ROOT = join(ROOT, 'test/fixtures/azg');
const ADAPTER = [PYTHON, join(ROOT, 'python/loopdeck_azg'), '--root', AZG_ROOT, '--game', 'reversi.ReversiGame:ReversiGame', '--game-args', '4', '--net', 'reversi.NumpyNet:NNetWrapper'];

let dir: string;
withTempDirPerTest((d) => (dir = d));

function config(game: string, command: string[], overrides: LoopConfigInput = {}) {
  const result = validateConfig({
    name: 'py',
    runsDir: dir,
    game,
    iterations: 3,
    episodesPerIteration: 16,
    stepsPerIteration: 40,
    numActors: 2,
    evalGames: 8,
    evalSims: 12,
    startSims: 12,
    maxSims: 12,
    ladderGames: 8,
    stallTimeout: 60,
    actorCommand: command,
    trainerCommand: command,
    arenaCommand: command,
    ...overrides,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

/** Runs a command to its end: its exit code and the JSON lines it printed. */
function run(argv: string[], input = '', env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string }>((done) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      done({
        code,
        stderr,
        lines: stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      }),
    );
    child.stdin.end(input);
  });
}

it('Debian python3 with numpy is here (apt-get install python3-numpy)', () => {
  expect(execFileSync(PYTHON, ['-c', 'import numpy; print("ok")'], { encoding: 'utf8' }).trim()).toBe('ok');
});

describe('the Python kit', () => {
  it("trains a game written with it: declared, three iterations, rated against random and the game's reference, drawn by the engine", async () => {
    const orchestrator = await Orchestrator.create(config('connect3-5x4', KIT_GAME));
    expect(orchestrator.game).toMatchObject({ id: 'connect3-5x4', actions: 5, board: { rows: 4, cols: 5, moves: 'columns' } });
    expect(await orchestrator.run()).toBe('completed');
    const ratings = JSON.parse(await readFile(orchestrator.paths.ratingsJson, 'utf8'));
    const ids = ratings.players.map((p: { id: string }) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['iter-0001', 'iter-0003', 'random', 'greedy']));
    const evals = JSON.parse(await readFile(orchestrator.paths.evalStats, 'utf8')).evaluations;
    expect(evals.at(-1).vs_random.games).toBe(8);
    // Every write is atomic: nothing but models and their checkpoints in the models folder.
    expect((await readdir(orchestrator.paths.modelsDir)).filter((f) => f.includes('.tmp'))).toEqual([]);
    await orchestrator.close();

    const boards = new PositionBoards();
    const [start, played, over, wrong] = await boards.show(KIT_GAME, orchestrator.game, ['', '33', '12121', '6']);
    await boards.close();
    expect(start).toMatchObject({ board: ['.....', '.....', '.....', '.....'], to_move: 1, legal: [1, 2, 3, 4, 5], result: null });
    expect(played).toMatchObject({ board: ['.....', '.....', '..o..', '..x..'], to_move: 1 });
    expect(over).toMatchObject({ legal: [], result: 'first' });
    expect(wrong).toEqual({ position: '6', error: "'6' does not start with a move of Connect Three 5x4" });
  }, 120_000);

  it('refuses unknown flags and players with the protocol error events, and exits when its lifeline ends', async () => {
    const bad = await run([...KIT_GAME, 'selfplay', '--game', 'connect3-5x4', '--model', 'none', '--episodes', '1', '--wrong', '2']);
    expect(bad.code).toBe(2);
    expect(bad.lines[0]).toMatchObject({ event: 'error', code: 'bad_flags', message: expect.stringMatching(/unknown flag --wrong; it takes --game, --model/) });
    const arena = await run([...KIT_GAME, 'arena', '--game', 'connect3-5x4', '--a', 'random', '--b', 'alphabeta:3', '--games', '2', '--sims', '4', '--temperature', '0', '--seed', '1']);
    expect(arena.code).toBe(2);
    expect(arena.lines[0]).toMatchObject({ event: 'error', code: 'unknown_player' });

    const child = spawn(
      KIT_GAME[0]!,
      [
        ...KIT_GAME.slice(1),
        'selfplay',
        '--game',
        'connect3-5x4',
        '--model',
        'none',
        '--episodes',
        '100000',
        '--sims',
        '8',
        '--temp-threshold',
        '4',
        '--seed',
        '1',
        '--actor-id',
        '0',
        '--out',
        join(dir, 'r'),
      ],
      {
        env: { ...process.env, LOOPDECK_LIFELINE: '1' },
      },
    );
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await new Promise((r) => child.stdout.once('data', r));
    const closedAt = Date.now();
    child.stdin.end();
    expect(await exited).toBe(129);
    expect(Date.now() - closedAt).toBeLessThan(3000);
  }, 30_000);

  it("reads the bundled actor's packed shards, and writes shards the bundled trainer reads", async () => {
    const packed = join(dir, 'packed.safetensors');
    const observation = new Float32Array([1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const policy = new Float32Array(9).fill(0);
    policy[4] = 0.75;
    policy[0] = 0.25;
    await writeShard(
      packed,
      { count: 1, obsSize: 18, actions: 9, observation, policy, value: new Float32Array([-1]), legal: new Uint8Array(9).fill(1), searchValue: new Float32Array([0.5]) },
      'packed',
    );
    const script = `import sys, json; sys.path.insert(0, ${JSON.stringify(join(ROOT, 'python'))})
from loopdeck_kit.shards import read_shard, write_shard
obs, pol, val = read_shard(sys.argv[1])
print(json.dumps([obs[0].tolist(), [round(p, 3) for p in pol[0].tolist()], val.tolist()]))
write_shard(sys.argv[2], obs, pol, val, [[1] * 9], [0.5])`;
    const full = join(dir, 'full.safetensors');
    const [obs, pol, value] = JSON.parse(execFileSync(PYTHON, ['-c', script, packed, full], { encoding: 'utf8' }));
    expect(obs).toEqual(Array.from(observation));
    expect(pol).toEqual(Array.from(policy, (p) => Math.round(p * 1000) / 1000));
    expect(value[0]).toBeCloseTo(-0.25, 4); // the mean of the result and the search's value, as the bundled trainer takes it
    const back = await readShard(full, { obsSize: 18, actions: 9 });
    expect(Array.from(back.observation)).toEqual(Array.from(observation));
    expect(back.count).toBe(1);
  });
});

describe("the kit's PyTorch network (loopdeck_kit.torch_network)", () => {
  it('trains a kit game with network=TorchNetwork: self-play, training, arena and bestmove on PyTorch', async () => {
    const engine = [PYTHON, join(ROOT, 'python/examples/connect3_torch.py')];
    const orchestrator = await Orchestrator.create(config('connect3-5x4', engine, { iterations: 2 }));
    expect(await orchestrator.run()).toBe('completed');
    const ratings = JSON.parse(await readFile(orchestrator.paths.ratingsJson, 'utf8'));
    expect(ratings.players.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['iter-0001', 'iter-0002', 'random', 'greedy']));
    expect(await readFile(orchestrator.paths.log(2, 'trainer'), 'utf8')).not.toContain('starting a fresh network');
    // A model is the network's PyTorch checkpoint (a zip archive), written atomically.
    const model = await readFile(join(orchestrator.paths.modelsDir, 'iter-0002.onnx'));
    expect(model.subarray(0, 2).toString()).toBe('PK');
    expect(orchestrator.view().state.provenance!.engines[0]!.version!.details).toMatchObject({ torch: expect.any(String) });
    await orchestrator.close();
    const answer = await run([...engine, 'bestmove', '--game', 'connect3-5x4', '--model', join(orchestrator.paths.modelsDir, 'iter-0002.onnx'), '--sims', '8'], '33\n');
    expect(answer.lines[0]).toMatchObject({ position: '33', move: expect.any(Number), value: expect.any(Number) });
    expect(answer.lines[0]!.policy as number[]).toHaveLength(5);
  }, 120_000);
});

describe('a PyTorch trainer (python/examples/torch_trainer.py)', () => {
  it('trains beside the bundled actor and arena: they play its ONNX models, and it continues from its own checkpoints', async () => {
    const result = validateConfig({
      name: 'torch',
      runsDir: dir,
      game: 'tictactoe',
      iterations: 3,
      episodesPerIteration: 24,
      stepsPerIteration: 60,
      evalGames: 8,
      evalSims: 12,
      startSims: 12,
      maxSims: 12,
      trainerCommand: [PYTHON, join(ROOT, 'python/examples/torch_trainer.py')],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const orchestrator = await Orchestrator.create(result.config);
    expect(await orchestrator.run()).toBe('completed');
    expect(await readFile(orchestrator.paths.log(1, 'trainer'), 'utf8')).toMatch(/starting a fresh network|train: \d+ positions, 60 steps of/);
    expect(await readFile(orchestrator.paths.log(3, 'trainer'), 'utf8')).toMatch(/continuing from .*iter-0002\.ckpt\.pt \(weights and Adam's state\)/);
    const loop = JSON.parse(await readFile(orchestrator.paths.loopStats, 'utf8'));
    expect(loop.iterations.map((s: { iteration: number }) => s.iteration)).toEqual([1, 2, 3]);
    for (const s of loop.iterations) expect(s.final_loss).toBeGreaterThan(0);
    const evals = JSON.parse(await readFile(orchestrator.paths.evalStats, 'utf8')).evaluations;
    expect(evals.map((e: { vs_random: { games: number } }) => e.vs_random.games)).toEqual([8, 8, 8]);
    // The run's record: each engine's answer to `version`.
    const engines = orchestrator.view().state.provenance!.engines;
    expect(engines.find((e) => e.role === 'trainer')!.version).toMatchObject({ name: 'torch_trainer', details: { python: expect.any(String), torch: expect.any(String) } });
    expect(engines.find((e) => e.role === 'actor')!.version).toMatchObject({ name: 'loopdeck-engine', details: { node: process.version } });
    // Its checkpoints are named as the protocol asks, so retention keeps only the newest and the best model's.
    const best = orchestrator.view().state.best!.iteration;
    expect((await readdir(orchestrator.paths.modelsDir)).filter((f) => f.endsWith('.ckpt.pt')).sort()).toEqual([...new Set([best, 3])].sort().map((i) => `iter-000${i}.ckpt.pt`));
    expect((await readdir(orchestrator.paths.modelsDir)).filter((f) => f.includes('.tmp'))).toEqual([]);
    await orchestrator.close();
  }, 120_000);

  it('says what it needs when it is not a trainer command or lacks PyTorch', async () => {
    const selfplay = await run([PYTHON, join(ROOT, 'python/examples/torch_trainer.py'), 'selfplay', '--game', 'x']);
    expect(selfplay.code).toBe(2);
    expect(selfplay.lines[0]!.message).toMatch(/answers only the train subcommand \(got selfplay\); use it as trainerCommand/);
    // A python3 without PyTorch: a torch module that fails to import comes first on its path.
    await mkdir(join(dir, 'no-torch'));
    await writeFile(join(dir, 'no-torch/torch.py'), 'raise ImportError("No module named torch")\n');
    const noTorch = await run(
      [
        PYTHON,
        join(ROOT, 'python/examples/torch_trainer.py'),
        'train',
        '--game',
        'x',
        '--replay',
        dir,
        '--init',
        'none',
        '--steps',
        '1',
        '--start-step',
        '0',
        '--batch-size',
        '1',
        '--lr',
        '0.1',
        '--out',
        join(dir, 'm.onnx'),
      ],
      '',
      { PYTHONPATH: join(dir, 'no-torch') },
    );
    expect(noTorch.code).toBe(2);
    expect(noTorch.lines[0]!.message).toMatch(/cannot import torch; install PyTorch for it \(on Debian: apt-get install python3-torch\)/);
  });
});

describe('docs/bring-your-own-engine.md', () => {
  it('its example game, saved as the guide says, is declared, drawn and trained as written', async () => {
    const guide = await readFile(join(ROOT, 'docs/bring-your-own-engine.md'), 'utf8');
    const code = /```python\n([\s\S]*?)```/.exec(guide)![1]!;
    await writeFile(join(dir, 'three.py'), code);
    const engine = ['env', `PYTHONPATH=${join(ROOT, 'python')}`, PYTHON, join(dir, 'three.py')];
    const [declared] = await engineGames(engine);
    expect(declared).toMatchObject({ id: 'three-4x4', actions: 16, board: { rows: 4, cols: 4, moves: 'cells', letters: ['X', 'O'] } });
    expect(guide).toContain("printf '\\nb2 a1 c3\\n' | /usr/bin/python3 three.py board --game three-4x4");
    const boards = new PositionBoards();
    const [, played] = await boards.show(engine, declared!, ['', 'b2 a1 c3']);
    await boards.close();
    expect(played).toMatchObject({ board: ['o...', '.x..', '..x.', '....'], to_move: 2 });
    const orchestrator = await Orchestrator.create(config('three-4x4', engine, { iterations: 2 }));
    expect(await orchestrator.run()).toBe('completed');
    await orchestrator.close();
  }, 60_000);
});

describe('the alpha-zero-general adapter', () => {
  it('runs code written to the Game and NNetWrapper API, with its own MCTS: declared with its pass, trained, rated, drawn', async () => {
    const command = [...ADAPTER, '--mcts', 'MCTS:MCTS', '--mcts-args', '{"cpuct": 2}'];
    const [declared] = await engineGames(command);
    expect(declared).toMatchObject({ id: 'reversi', label: 'Reversi 4', actions: 17, observation: [4, 4], board: { rows: 4, cols: 4, moves: 'cells' } });
    expect(declared!.board.cells!.at(-1)).toBeNull();
    expect(declared!.notation.moves.slice(0, 2).concat(declared!.notation.moves.at(-1)!)).toEqual(['a1', 'b1', 'pass']);

    const orchestrator = await Orchestrator.create(config('reversi', command, { iterations: 2 }));
    expect(await orchestrator.run()).toBe('completed');
    const ratings = JSON.parse(await readFile(orchestrator.paths.ratingsJson, 'utf8'));
    expect(ratings.players.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['iter-0001', 'iter-0002', 'random']));
    const log = await readFile(orchestrator.paths.log(2, 'trainer'), 'utf8');
    expect(log).toMatch(/examples to the network's own train\(\)/);
    // The record names the user's code: the classes and the commit of the checkout holding it.
    expect(orchestrator.view().state.provenance!.engines[0]!.version).toMatchObject({
      name: 'loopdeck_azg',
      details: { game: 'reversi.ReversiGame:ReversiGame', net: 'reversi.NumpyNet:NNetWrapper', mcts: 'MCTS:MCTS', numpy: expect.any(String) },
    });
    if (existsSync(join(ROOT, '.git'))) expect(orchestrator.view().state.provenance!.engines[0]!.version!.details!.checkout).toMatch(/^[0-9a-f]{12}/);
    await orchestrator.close();

    const boards = new PositionBoards();
    const [start, flipped] = await boards.show(command, orchestrator.game, ['', 'b1']);
    await boards.close();
    expect(start).toMatchObject({ board: ['....', '.ox.', '.xo.', '....'], to_move: 1, legal: [2, 5, 12, 15] });
    expect(flipped).toMatchObject({ board: ['.x..', '.xx.', '.xo.', '....'], to_move: 2 });
  }, 120_000);

  it("trains a PyTorch NNetWrapper that prints to stdout: its prints go to the trainer's log, never into the protocol", async () => {
    const command = [...ADAPTER.slice(0, -1), 'reversi.TorchNet:NNetWrapper'];
    const orchestrator = await Orchestrator.create(config('reversi', command, { iterations: 2 }));
    expect(await orchestrator.run()).toBe('completed');
    const log = await readFile(orchestrator.paths.log(2, 'trainer'), 'utf8');
    expect(log).toContain('EPOCH ::: 3');
    expect(log).toContain('Checkpoint Directory exists!');
    expect(log).not.toContain('not a protocol event');
    const ratings = JSON.parse(await readFile(orchestrator.paths.ratingsJson, 'utf8'));
    expect(ratings.players.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['iter-0001', 'iter-0002', 'random']));
    // Their torch.save checkpoint is the model file, written atomically.
    expect((await readdir(orchestrator.paths.modelsDir)).filter((f) => f.startsWith('iter-') || f.includes('.tmp')).sort()).toEqual(['iter-0001.onnx', 'iter-0002.onnx']);
    await orchestrator.close();
  }, 120_000);

  it('names the option and the fix when the classes cannot be used', async () => {
    const missing = await run([PYTHON, join(ROOT, 'python/loopdeck_azg'), '--root', AZG_ROOT, '--game', 'nothere.Game:Game', '--net', 'reversi.NumpyNet:NNetWrapper', 'games']);
    expect(missing.code).toBe(2);
    expect(missing.lines[0]!.message).toMatch(/--game nothere.Game:Game: cannot import nothere.Game \(No module named .nothere.\); is --root the folder that holds it\?/);
    const unnamed = await run([...ADAPTER.slice(0, 5), 'reversi.ReversiGame', '--net', 'x:y', 'games']);
    expect(unnamed.lines[0]!.message).toMatch(/--game reversi.ReversiGame: name a class as MODULE:CLASS/);
    const noClass = await run([...ADAPTER.slice(0, -1), 'reversi.NumpyNet:TorchWrapper', 'games']);
    expect(noClass.lines[0]!.message).toBe('--net reversi.NumpyNet:TorchWrapper: reversi.NumpyNet has no TorchWrapper');
    await writeFile(join(dir, 'needsdeps.py'), 'import somelibrary_not_here\n');
    const dependency = await run([PYTHON, join(ROOT, 'python/loopdeck_azg'), '--root', dir, '--game', 'needsdeps:Game', '--net', 'needsdeps:Net', 'games']);
    expect(dependency.lines[0]!.message).toMatch(/^--game needsdeps:Game: needsdeps imports somelibrary_not_here, which \S*python3\S* cannot import; install it for that interpreter/);
  });
});

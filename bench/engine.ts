/**
 * Bundled engine speed, on one core per process:
 * - raw ONNX Runtime positions/s at batch 64 (Connect Four net) vs network
 *   evaluations/s inside MCTS self-play at the same batch size (target >= 40%);
 * - Connect Four self-play games/s at 100 simulations per move;
 * - training samples/s of both games' networks at the trainer's default
 *   threads (target >= 15,000 for Connect Four's).
 *   node --max-semi-space-size=64 --import tsx bench/engine.ts [--quick]   (the flag the orchestrator gives engine processes)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GAME_SPECS } from '../src/shared/games';
import { connect4 } from '../src/shared/games/connect4/rules';
import { ticTacToe } from '../src/shared/games/tictactoe/rules';
import type { Game } from '../src/shared/games/types';
import { NetworkLeafEvaluator } from '../src/engine/mcts/leafEvaluator';
import { playSelfplayGames } from '../src/engine/mcts/selfplayLoop';
import { architectureFor, initialWeights } from '../src/engine/net/architecture';
import type { Evaluator } from '../src/engine/net/evaluator';
import { exportOnnx } from '../src/engine/net/onnxExport';
import { loadOnnxEvaluator } from '../src/engine/net/onnxEvaluator';
import { defaultTrainThreads, OnnxTrainer } from '../src/engine/net/onnxTrainer';
import { createRng } from '../src/shared/random';
import { sampleBatch } from '../src/engine/replay/replayBuffer';
import { median } from './median';

const BATCH = 64;

async function modelFile(dir: string, game: Game<any>): Promise<string> {
  const arch = architectureFor(game);
  const path = join(dir, `${game.id}.onnx`);
  await writeFile(path, exportOnnx(arch, initialWeights(arch, createRng(1))));
  return path;
}

async function rawThroughput(evaluator: Evaluator, obsSize: number, seconds: number, batch = BATCH): Promise<number> {
  const input = new Float32Array(batch * obsSize).map(() => (Math.random() < 0.3 ? 1 : 0));
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    await evaluator.evaluate(input, batch);
    n += batch;
  }
  return n / seconds;
}

async function selfplay(evaluator: Evaluator, games: number): Promise<{ evalsPerSec: number; gamesPerSec: number; meanBatch: number }> {
  let evals = 0;
  let calls = 0;
  const counting: Evaluator = {
    description: evaluator.description,
    close: () => evaluator.close(),
    evaluate: (obs, n) => {
      evals += n;
      calls++;
      return evaluator.evaluate(obs, n);
    },
  };
  const started = performance.now();
  await playSelfplayGames({
    game: connect4,
    evaluator: new NetworkLeafEvaluator(connect4, counting),
    episodes: games,
    sims: 100,
    tempThreshold: 10,
    openingPlies: 0,
    parallel: BATCH,
    params: GAME_SPECS.connect4.search,
    rng: createRng(2),
    onGame: () => {},
  });
  const seconds = (performance.now() - started) / 1000;
  return { evalsPerSec: evals / seconds, gamesPerSec: games / seconds, meanBatch: evals / calls };
}

async function trainingRate(game: Game<any>, steps: number): Promise<number> {
  const batchSize = GAME_SPECS[game.id].defaults.batchSize;
  const rng = createRng(3);
  const n = 4096;
  const data = {
    count: n,
    obsSize: game.obsSize,
    actions: game.actions,
    observation: new Float32Array(n * game.obsSize).map(() => (rng() < 0.3 ? 1 : 0)),
    policy: new Float32Array(n * game.actions).fill(1 / game.actions),
    value: new Float32Array(n),
    legal: new Uint8Array(n * game.actions).fill(1),
  };
  const arch = architectureFor(game);
  const threads = defaultTrainThreads(arch, batchSize);
  const trainer = await OnnxTrainer.create(arch, initialWeights(arch, rng), null, threads);
  try {
    const batch = sampleBatch(data, game, batchSize, rng);
    await trainer.step(batch, 0.001); // warm-up
    const started = performance.now();
    for (let i = 0; i < steps; i++) {
      sampleBatch(data, game, batchSize, rng, batch);
      await trainer.step(batch, 0.001);
    }
    return (steps * batchSize) / ((performance.now() - started) / 1000);
  } finally {
    await trainer.close();
  }
}

export async function main(args: string[] = process.argv.slice(2)): Promise<boolean> {
  const quick = args.includes('--quick');
  const dir = await mkdtemp(join(tmpdir(), 'loopdeck-engine-bench-'));
  const evaluator = await loadOnnxEvaluator(await modelFile(dir, connect4), connect4);
  // Many more games than run at once, so the batch stays near BATCH. Raw ORT is timed at the batch
  // self-play really had, just before and just after the measured self-play, to bracket drift.
  const warm = await selfplay(evaluator, 2 * BATCH);
  const sameBatch = Math.round(warm.meanBatch);
  const raw = await rawThroughput(evaluator, connect4.obsSize, quick ? 1 : 3, sameBatch);
  const sp = await selfplay(evaluator, quick ? 4 * BATCH : 8 * BATCH);
  const raw2 = await rawThroughput(evaluator, connect4.obsSize, quick ? 1 : 3, Math.round(sp.meanBatch));
  await evaluator.close();
  const rawMedian = (raw + raw2) / 2;
  const ratio = sp.evalsPerSec / rawMedian;
  // Medians of three rounds, alternated, so drift hits both games alike.
  const ttt: number[] = [];
  const c4: number[] = [];
  for (let round = 0; round < 3; round++) {
    ttt.push(await trainingRate(ticTacToe, quick ? 200 : 1000));
    c4.push(await trainingRate(connect4, quick ? 100 : 500));
  }
  const c4Threads = defaultTrainThreads(architectureFor(connect4), GAME_SPECS.connect4.defaults.batchSize);
  const tttRate = median(ttt);
  const c4Rate = median(c4);
  await rm(dir, { recursive: true, force: true });
  const ok = ratio >= 0.4 && c4Rate >= 15000;
  console.log(`ONNX Runtime, Connect Four net, batch ${sameBatch}-${Math.round(sp.meanBatch)}: ${Math.round(rawMedian).toLocaleString('en')} positions/s raw (mean of the timings before and after)`);
  console.log(
    `inside MCTS self-play (${BATCH} games at once): ${Math.round(sp.evalsPerSec).toLocaleString('en')} evaluations/s (mean batch ${sp.meanBatch.toFixed(1)}) = ${(ratio * 100).toFixed(0)}% of raw (target >= 40%) ${ratio >= 0.4 ? 'PASS' : 'FAIL'}`,
  );
  console.log(`Connect Four self-play at 100 simulations per move: ${sp.gamesPerSec.toFixed(2)} games/s per process`);
  console.log(
    `training (ONNX Runtime, ${c4Threads} thread${c4Threads > 1 ? 's' : ''}): tic-tac-toe ${Math.round(tttRate).toLocaleString('en')} samples/s at batch ${GAME_SPECS.tictactoe.defaults.batchSize}, Connect Four ${Math.round(c4Rate).toLocaleString('en')} samples/s at batch ${GAME_SPECS.connect4.defaults.batchSize} (medians of 3; target >= 15,000) ${c4Rate >= 15000 ? 'PASS' : 'FAIL'}`,
  );
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) main().then((ok) => process.exit(ok ? 0 : 1));

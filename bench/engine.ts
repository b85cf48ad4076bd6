/**
 * Bundled engine speed, on one core per process:
 * - raw ONNX Runtime positions/s at batch 64 (Connect Four net) vs network
 *   evaluations/s inside MCTS self-play at the same batch size (target >= 40%);
 * - Connect Four self-play games/s at 100 simulations per move;
 * - training samples/s of both games' networks (target >= 5,000).
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
import { architectureFor } from '../src/engine/net/architecture';
import type { Evaluator } from '../src/engine/net/evaluator';
import { Network } from '../src/engine/net/network';
import { defaultTrainThreads, ParallelTrainer, sharedBatch } from '../src/engine/net/parallelTrainer';
import { exportOnnx } from '../src/engine/net/onnxExport';
import { loadOnnxEvaluator } from '../src/engine/net/onnxEvaluator';
import { initTf } from '../src/engine/net/tf';
import { createRng } from '../src/shared/random';
import { sampleBatch } from '../src/engine/replay/replayBuffer';
import { median } from './median';

const BATCH = 64;

async function modelFile(dir: string, game: Game<any>): Promise<string> {
  const net = Network.fresh(game, createRng(1));
  const path = join(dir, `${game.id}.onnx`);
  await writeFile(path, exportOnnx(net.arch, net.weights()));
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
    parallel: BATCH,
    params: GAME_SPECS.connect4.search,
    rng: createRng(2),
    onGame: () => {},
  });
  const seconds = (performance.now() - started) / 1000;
  return { evalsPerSec: evals / seconds, gamesPerSec: games / seconds, meanBatch: evals / calls };
}

async function trainingRate(game: Game<any>, steps: number, threads = 1): Promise<number> {
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
  const net = Network.fresh(game, rng);
  const trainer = new ParallelTrainer(net, sharedBatch(net.arch, batchSize), threads);
  try {
    sampleBatch(data, game, batchSize, rng, trainer.batch);
    await trainer.step(0.001); // warm-up
    const started = performance.now();
    for (let i = 0; i < steps; i++) {
      sampleBatch(data, game, batchSize, rng, trainer.batch);
      await trainer.step(0.001);
    }
    return (steps * batchSize) / ((performance.now() - started) / 1000);
  } finally {
    await trainer.close();
  }
}

export async function main(args: string[] = process.argv.slice(2)): Promise<boolean> {
  const quick = args.includes('--quick');
  const dir = await mkdtemp(join(tmpdir(), 'loopdeck-engine-bench-'));
  await initTf();
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
  const tttRate = await trainingRate(ticTacToe, quick ? 50 : 200);
  const c4Rate = await trainingRate(connect4, quick ? 20 : 60);
  const threads = defaultTrainThreads(architectureFor(connect4), GAME_SPECS.connect4.defaults.batchSize);
  // One thread and the trainer's default, alternated, so drift hits both alike.
  const parallelRates: number[] = [];
  const singleRates: number[] = [c4Rate];
  for (let round = 0; round < (quick ? 1 : 3); round++) {
    parallelRates.push(await trainingRate(connect4, quick ? 20 : 60, threads));
    if (round > 0) singleRates.push(await trainingRate(connect4, quick ? 20 : 60));
  }
  const c4Parallel = median(parallelRates);
  const c4Single = median(singleRates);
  await rm(dir, { recursive: true, force: true });
  const ok = ratio >= 0.4 && tttRate >= 5000 && c4Single >= 5000;
  console.log(`ONNX Runtime, Connect Four net, batch ${sameBatch}-${Math.round(sp.meanBatch)}: ${Math.round(rawMedian).toLocaleString('en')} positions/s raw (mean of the timings before and after)`);
  console.log(
    `inside MCTS self-play (${BATCH} games at once): ${Math.round(sp.evalsPerSec).toLocaleString('en')} evaluations/s (mean batch ${sp.meanBatch.toFixed(1)}) = ${(ratio * 100).toFixed(0)}% of raw (target >= 40%) ${ratio >= 0.4 ? 'PASS' : 'FAIL'}`,
  );
  console.log(`Connect Four self-play at 100 simulations per move: ${sp.gamesPerSec.toFixed(2)} games/s per process`);
  console.log(
    `training (tfjs wasm, one thread): tic-tac-toe ${Math.round(tttRate).toLocaleString('en')} samples/s at batch ${GAME_SPECS.tictactoe.defaults.batchSize}, Connect Four ${Math.round(c4Single).toLocaleString('en')} samples/s at batch ${GAME_SPECS.connect4.defaults.batchSize} (target >= 5,000) ${tttRate >= 5000 && c4Single >= 5000 ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `training on ${threads} threads (the trainer's default here): Connect Four ${Math.round(c4Parallel).toLocaleString('en')} samples/s = ${(c4Parallel / c4Single).toFixed(2)}x one thread (medians; the issue's target is 15,000: ${c4Parallel >= 15000 ? 'met' : 'not met'})`,
  );
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) main().then((ok) => process.exit(ok ? 0 : 1));

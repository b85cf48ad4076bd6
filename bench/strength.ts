/**
 * Strength benchmark: trains a real run through the orchestrator CLI with the
 * game's default config, then scores the best model against yardsticks.
 *   npx tsx bench/strength.ts --game tictactoe|connect4 [--minutes N] [--runs-dir DIR] [--name NAME] [--score-only] [--sims N] [--iteration N] [--set yardstick|tuning] [--last K]
 * Scoring searches `--sims` simulations per move (default 200, as
 * `loopdeck-engine bestmove` plays a position; the gate's evalSims is fewer)
 * with the best model, or with the model of `--iteration`. Connect Four's
 * `--last K` also scores the solver positions with each of the run's last K
 * iterations' models and prints their mean: one model's score carries about
 * a point of training noise, so A/Bs compare these means too. Connect Four's
 * `--set tuning` draws its openings and solver positions (400 of them) from
 * other seeds than the yardstick's: settings are chosen on the tuning set,
 * and only the chosen ones are reported on the yardstick.
 * tic-tac-toe: share of reachable positions where the model's move (with
 * search) is optimal per exhaustive minimax, and games against a perfect
 * player from both sides. Connect Four: win rates against the random player
 * and against a depth-4 alpha-beta player, from both sides of random 3-ply
 * openings (each opening played once from each side), and the share of
 * the model's moves that keep the game-theoretic value per a perfect solver,
 * in positions from plies 8-30 of games between imperfect players.
 * It also prints how often the gate promoted, and the candidates the ratings
 * place significantly below the best model they played (#12's two readings of
 * monotone progress, with and without gated self-play).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readJournal } from '../src/main/orchestrator/state/journal';
import { RunPaths } from '../src/main/orchestrator/state/runPaths';
import { bestProgress, bestProgressText } from '../src/shared/bestProgress';
import { foldRunEvents } from '../src/shared/runState';
import { iterationMinutes } from '../src/shared/runLimits';
import { fitRunRatings } from '../src/shared/runRatings';
import { GAME_SPECS, isGameId } from '../src/shared/games';
import { connect4 } from '../src/shared/games/connect4/rules';
import { ticTacToe } from '../src/shared/games/tictactoe/rules';
import { playArena, randomPlayer, type ArenaPlayer } from '../src/engine/mcts/arenaLoop';
import { NetworkLeafEvaluator } from '../src/engine/mcts/leafEvaluator';
import { chooseMove, SearchTree, searchMany } from '../src/engine/mcts/search';
import { loadOnnxEvaluator } from '../src/engine/net/onnxEvaluator';
import { BESTMOVE_SIMS } from '../src/engine/commands/bestmove';
import { createRng } from '../src/shared/random';
import { alphaBetaMove } from '../src/shared/games/connect4/alphaBeta';
import { Connect4Solver } from '../src/shared/games/connect4/solver';
import { TicTacToeSolver } from '../src/shared/games/tictactoe/solver';

const { values } = parseArgs({
  options: {
    game: { type: 'string', default: 'tictactoe' },
    minutes: { type: 'string' },
    'runs-dir': { type: 'string' },
    name: { type: 'string' },
    'score-only': { type: 'boolean', default: false },
    sims: { type: 'string' },
    iteration: { type: 'string' },
    set: { type: 'string', default: 'yardstick' },
    last: { type: 'string' },
  },
  allowPositionals: true,
});
/** Anything after `--` goes to `loopdeck run` (e.g. `-- --selfplay-model latest`), for A/B runs. */
const extra = process.argv.includes('--') ? process.argv.slice(process.argv.indexOf('--') + 1) : [];
const game = values.game!;
if (!isGameId(game)) throw new Error(`--game must be tictactoe or connect4 (got ${game})`);
const runsDir = values['runs-dir'] ?? (await mkdtemp(join(tmpdir(), 'loopdeck-strength-')));
const name = values.name ?? `strength-${game}`;
const minutes = values.minutes ? Number(values.minutes) : null;
/** Seeds of the arena openings and the solver positions, and how many positions: the yardstick's, or the tuning set's. */
const POSITION_SETS = {
  yardstick: { matchSeed: 12345, positionSeed: 2026, positions: 200 },
  tuning: { matchSeed: 54321, positionSeed: 7919, positions: 400 },
} as const;
const setName = values.set!;
if (setName !== 'yardstick' && setName !== 'tuning') throw new Error(`--set must be yardstick or tuning (got ${setName})`);
const positionSet = POSITION_SETS[setName];
const lastModels = values.last ? Number(values.last) : 0;
if (!Number.isInteger(lastModels) || lastModels < 0) throw new Error(`--last must be a whole number of models (got ${values.last})`);

/** CPU seconds of this process's waited-for children and their descendants (Linux: /proc/self/stat cutime + cstime). */
function childrenCpuSeconds(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

let coresBusy = null as number | null;

/** Trains with the game's defaults; `--minutes` sets the run's time budget (it ends at an iteration boundary). */
async function train(): Promise<number> {
  const started = Date.now();
  const cpuBefore = childrenCpuSeconds();
  const budget = minutes ? ['--time-budget-minutes', String(minutes), '--iterations', '100000'] : [];
  const child = spawn(process.execPath, [resolve(import.meta.dirname, '../bin/loopdeck.js'), 'run', '--game', game, '--name', name, '--runs-dir', runsDir, ...budget, ...extra], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await new Promise((r) => child.on('close', r));
  const seconds = (Date.now() - started) / 1000;
  const cpuAfter = childrenCpuSeconds();
  if (cpuBefore !== null && cpuAfter !== null) coresBusy = (cpuAfter - cpuBefore) / seconds;
  return seconds;
}

const seconds = values['score-only'] ? 0 : await train();
const paths = new RunPaths(runsDir, name);
const run = foldRunEvents(name, (await readJournal(paths.events)).events);
if (!run.best) throw new Error(`run "${name}" in ${runsDir} has no best model to score`);
const best = run.best;
const g = game === 'connect4' ? connect4 : ticTacToe;
const scored = values.iteration ? Number(values.iteration) : best.iteration;
const modelPath = values.iteration ? paths.model(scored) : join(paths.root, best.model_path);
const network = await loadOnnxEvaluator(modelPath, g);
const evaluator = new NetworkLeafEvaluator(g, network);
const params = { ...GAME_SPECS[game].search, noiseFraction: 0 };
const sims = values.sims ? Number(values.sims) : BESTMOVE_SIMS;
if (!Number.isInteger(sims) || sims < 1) throw new Error(`--sims must be a whole number of simulations per move, at least 1 (got ${values.sims})`);
const model: ArenaPlayer = { kind: 'search', evaluator };
const rng = createRng(positionSet.matchSeed);

console.log(
  `\nstrength of ${game} run "${name}": ${run.iterations.length} iterations in ${(values['score-only'] ? iterationMinutes(run.iterations) : seconds / 60).toFixed(1)} min on ${cpus().length} cores; best model iteration ${best.iteration}; scoring ${values.iteration ? `the model of iteration ${scored}` : 'the best model'} at ${sims} simulations per move, ${setName} set`,
);
if (coresBusy !== null) console.log(`cores busy: ${coresBusy.toFixed(2)} of ${cpus().length} (the run's processes' CPU time over its wall time)`);
const last = run.iterations.at(-1);
if (last) console.log(`last iteration: vs best ${last.eval_win_rate ?? '–'} won, vs random ${last.vs_random_win_rate ?? '–'} won`);
const progress = bestProgress(run.evaluations, fitRunRatings(run.rated));
console.log(`best model (self-play from the ${run.config?.selfplayModel} model): ${bestProgressText(progress) ?? 'no candidate met a best model'}`);

async function match(label: string, opponent: ArenaPlayer, games: number) {
  const r = await playArena({
    game: g,
    a: model,
    b: opponent,
    games,
    sims,
    parallel: 32,
    temperature: 0,
    openingPlies: game === 'tictactoe' ? 0 : GAME_SPECS.connect4.arenaOpeningPlies,
    params,
    rng,
    onGame: () => {},
  });
  console.log(
    `${label}: ${r.wins} wins, ${r.draws} draws, ${r.losses} losses of ${games} (win rate ${((r.wins / games) * 100).toFixed(1)}%, score ${(((r.wins + r.draws / 2) / games) * 100).toFixed(1)}%)`,
  );
  return r;
}

/** The model's move (most visited after `sims` simulations) in each state. */
async function modelMoves(states: unknown[], leafEvaluator = evaluator): Promise<number[]> {
  const roots = states.map((state) => new SearchTree(g).root(state));
  for (let i = 0; i < roots.length; i += 256) {
    const chunk = roots.slice(i, i + 256);
    await searchMany(
      g,
      chunk.map((root) => ({ root, evaluator: leafEvaluator, sims, noise: false })),
      params,
      rng,
    );
  }
  return roots.map((root) => root.legal[chooseMove(root, 0, rng)]!);
}

if (game === 'tictactoe') {
  const solver = new TicTacToeSolver();
  const positions = solver.reachablePositions();
  const moves = await modelMoves(positions);
  const optimal = positions.filter((p, i) => solver.solve(p as never).best.includes(moves[i]!)).length;
  console.log(`optimal moves: ${optimal} of ${positions.length} reachable positions (${((optimal / positions.length) * 100).toFixed(2)}%; target >= 99%)`);
  const perfect: ArenaPlayer = {
    kind: 'move',
    choose: (state, r) => {
      const best = solver.solve(state as never).best;
      return best[Math.floor(r() * best.length)]!;
    },
  };
  const vsPerfect = await match('vs perfect player (random among optimal moves), both sides', perfect, 200);
  console.log(`losses to perfect play: ${vsPerfect.losses} (target 0)`);
  await match('vs random player, both sides', randomPlayer(g), 200);
} else {
  await match('vs random player, both sides', randomPlayer(g), 200);
  await match('vs depth-4 alpha-beta, both sides', { kind: 'move', choose: (state, r) => alphaBetaMove(state as never, 4, r) }, 100);
  const positions = await perfectTestPositions(positionSet.positions);
  await scorePerfect(positions, 'plies 8-30');
  if (lastModels > 0) await scoreLastModels(positions, lastModels);
}

/**
 * Positions a real game reaches: games between a depth-2 alpha-beta player
 * that plays a random move a quarter of the time, one position per game at a
 * random ply in 8-30 (a generator of candidates, from a seed).
 */
function* candidatePositions(seed: number) {
  const rng = createRng(seed);
  for (;;) {
    const target = 8 + Math.floor(rng() * 23);
    let s = connect4.initial();
    while (s.outcome === null && s.ply < target) {
      const legal = connect4.legalActions(s);
      const move = rng() < 0.25 ? legal[Math.floor(rng() * legal.length)]! : alphaBetaMove(s, 2, rng);
      s = connect4.play(s, move);
    }
    if (s.outcome === null) yield s;
  }
}

/**
 * The set's solver positions: candidates where the choice of move matters. The
 * tuning set leaves out every position among the yardstick's first candidates
 * (several times more than the yardstick keeps), so the two share none.
 */
async function perfectTestPositions(count: number) {
  // The solver takes minutes over a set; its answers never change, so they are kept between scorings.
  const cache = join(tmpdir(), `loopdeck-strength-${setName}-${positionSet.positionSeed}-${count}-v2.json`);
  if (existsSync(cache)) {
    const saved = JSON.parse(readFileSync(cache, 'utf8')) as { moves: string; optimal: number[] }[];
    return saved.map((p) => ({ state: connect4.parse(p.moves), optimal: p.optimal }));
  }
  const solver = new Connect4Solver();
  const excluded = new Set<string>();
  if (positionSet !== POSITION_SETS.yardstick) {
    const yardstick = candidatePositions(POSITION_SETS.yardstick.positionSeed);
    for (let i = 0; i < 10 * POSITION_SETS.yardstick.positions; i++) excluded.add(connect4.format(yardstick.next().value!));
  }
  const positions: { state: ReturnType<typeof connect4.initial>; optimal: number[] }[] = [];
  for (const s of candidatePositions(positionSet.positionSeed)) {
    if (positions.length === count) break;
    if (excluded.has(connect4.format(s))) continue;
    const optimal = solver.optimalMoves(s);
    // Where every move keeps the value, the choice does not matter.
    if (optimal.length < connect4.legalActions(s).length) positions.push({ state: s, optimal });
  }
  writeFileSync(`${cache}.${process.pid}.tmp`, JSON.stringify(positions.map((p) => ({ moves: connect4.format(p.state), optimal: p.optimal }))));
  renameSync(`${cache}.${process.pid}.tmp`, cache);
  return positions;
}

type SolverPositions = Awaited<ReturnType<typeof perfectTestPositions>>;

/** How many of the positions the model's move keeps the game-theoretic value in. */
async function movesKeepingValue(positions: SolverPositions, leafEvaluator = evaluator): Promise<number> {
  const moves = await modelMoves(
    positions.map((p) => p.state),
    leafEvaluator,
  );
  return positions.filter((p, i) => p.optimal.includes(moves[i]!)).length;
}

async function scorePerfect(positions: SolverPositions, label: string) {
  const kept = await movesKeepingValue(positions);
  console.log(
    `perfect-solver score: ${kept} of ${positions.length} moves keep the game-theoretic value (${((kept / positions.length) * 100).toFixed(1)}%; ${label}, positions where the choice matters)`,
  );
}

async function scoreLastModels(positions: SolverPositions, count: number) {
  const lastIteration = run.iterations.length;
  const scores: number[] = [];
  for (let iteration = Math.max(1, lastIteration - count + 1); iteration <= lastIteration; iteration++) {
    const net = await loadOnnxEvaluator(paths.model(iteration), g);
    scores.push((await movesKeepingValue(positions, new NetworkLeafEvaluator(g, net))) / positions.length);
    await net.close();
  }
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  console.log(
    `perfect-solver score of the last ${scores.length} iterations' models: mean ${percent(mean)}, ${percent(Math.min(...scores))}-${percent(Math.max(...scores))} (${scores.map(percent).join(' ')})`,
  );
}
await network.close();
console.log(`run folder: ${paths.root}`);

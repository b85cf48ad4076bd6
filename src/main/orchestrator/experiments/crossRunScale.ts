/**
 * One rating scale across runs. Each run's ratings are its own, anchored at random = 0, and two
 * runs' models never meet, so their scales agree only at random. Here the best models of the runs
 * compared play each other and the shared reference players (random and the engine's references)
 * in a round robin, and one Bradley-Terry fit of those games together with every run's own games
 * places every run's models on one scale. Each pair of runs is then connected by games (their models
 * met) or only through the references. The games are kept in the runs folder
 * (`.scales/<name>/matches.jsonl`), so a scale played again plays only what it lacks.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelPlayerId, parsePlayerId, RANDOM_ID, referenceId } from '../../../shared/players';
import { RANDOM_PLAYER } from '../../../shared/protocol';
import { ANCHOR_PLAYER, fitRatings, type RatingFit, ratingOf } from '../../../shared/ratings';
import { pairResults } from '../../../shared/runRatings';
import { foldRunEvents, type RunState } from '../../../shared/runState';
import type { RatedGames } from '../../../shared/stats';
import { writeJsonAtomic } from '../../../node/atomicWrite';
import { fileVersion } from '../state/fileVersion';
import type { ScaleReport } from '../../../shared/experiments/scale';
import { type ArenaPlayerSpec, matchSeed, playMatch } from '../evaluation/arenaRunner';
import type { PhaseContext } from '../phaseContext';
import { resolveEngineCommands } from '../process/engineCommands';
import { LOCAL_EXECUTOR } from '../process/executor';
import { readJournal } from '../state/journal';
import { RunPaths } from '../state/runPaths';

export class ScaleError extends Error {}

export interface ScaleOptions {
  /** Games per match (half with each player first). */
  games: number;
  /** Simulations per move; the first run's evaluation setting by default. */
  sims?: number;
  signal?: AbortSignal;
  say(line: string): void;
}

/** A run's model on the shared scale: the run's name before the model's id. */
export const scaleModelId = (run: string, id: string) => `${run}/${id}`;

/** The player ids of a run's own games on the shared scale: its models under its name, random and references shared. */
function onScale(run: string, games: RatedGames): RatedGames {
  const map = (id: string) => (parsePlayerId(id)?.kind === 'model' ? scaleModelId(run, id) : id);
  return { ...games, a: map(games.a), b: map(games.b) };
}

async function runState(runsDir: string, name: string): Promise<RunState> {
  const paths = new RunPaths(runsDir, name);
  if (!existsSync(paths.events)) throw new ScaleError(`no run named "${name}" in ${runsDir}`);
  return foldRunEvents(name, (await readJournal(paths.events)).events);
}

interface PreparedScale {
  name: string;
  states: RunState[];
  bests: ArenaPlayerSpec[];
  references: ArenaPlayerSpec[];
  schedule: [ArenaPlayerSpec, ArenaPlayerSpec][];
  played: RatedGames[];
  paths: RunPaths;
  matchesFile: string;
}

/** The runs checked, the schedule made, and the games played so far read. */
async function prepareScale(runsDir: string, name: string, runNames: readonly string[]): Promise<PreparedScale> {
  if (new Set(runNames).size < 2) throw new ScaleError('a scale needs at least two different runs');
  const states = await Promise.all(runNames.map((run) => runState(runsDir, run)));
  const first = states[0]!;
  for (const s of states) {
    if (!s.config || !s.game) throw new ScaleError(`run "${s.name}" has no game declaration`);
    if (s.config.game !== first.config!.game) throw new ScaleError(`run "${s.name}" plays ${s.config.game}, run "${first.name}" ${first.config!.game}: only runs of one game share a scale`);
    if (JSON.stringify(resolveEngineCommands(s.config).arena) !== JSON.stringify(resolveEngineCommands(first.config!).arena))
      throw new ScaleError(`run "${s.name}" has another arena command than run "${first.name}": one arena plays every match of a scale`);
    if (!s.best) throw new ScaleError(`run "${s.name}" has no best model yet`);
  }
  const paths = new RunPaths(join(runsDir, '.scales'), name);
  const matchesFile = join(paths.root, 'matches.jsonl');
  const played: RatedGames[] = existsSync(matchesFile)
    ? (await readFile(matchesFile, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RatedGames)
    : [];
  const bests: ArenaPlayerSpec[] = states.map((s) => ({ id: scaleModelId(s.name, modelPlayerId(s.best!.iteration)), spec: new RunPaths(runsDir, s.name).model(s.best!.iteration) }));
  const references: ArenaPlayerSpec[] = [{ id: RANDOM_ID, spec: RANDOM_PLAYER }, ...(first.game!.capabilities?.references ?? []).map((r) => ({ id: referenceId(r.player), spec: r.player }))];
  const schedule: [ArenaPlayerSpec, ArenaPlayerSpec][] = [
    ...bests.flatMap((a, i) => bests.slice(i + 1).map((b): [ArenaPlayerSpec, ArenaPlayerSpec] => [a, b])),
    ...bests.flatMap((a) => references.map((b): [ArenaPlayerSpec, ArenaPlayerSpec] => [a, b])),
  ];
  return { name, states, bests, references, schedule, played, paths, matchesFile };
}

const matchKey = (a: string, b: string) => [a, b].sort().join('\n');

/** Plays the matches the scale lacks, in schedule order, keeping each as it ends; then fits. */
export async function playScale(runsDir: string, name: string, runNames: readonly string[], o: ScaleOptions): Promise<ScaleReport> {
  const scale = await prepareScale(runsDir, name, runNames);
  const { states, schedule, played, paths, matchesFile } = scale;
  const first = states[0]!;
  const config = first.config!;
  await recordScale(runsDir, name, runNames, o.games);
  const ctx: PhaseContext = {
    config,
    game: first.game!,
    paths,
    engine: resolveEngineCommands(config),
    iteration: 1,
    signal: o.signal ?? new AbortController().signal,
    graceMs: 5000,
    // Each match's process log is its file under the scale's folder; nothing is journaled.
    emit: async () => {},
    hooks: {},
    parent: null,
    executor: LOCAL_EXECUTOR,
  };
  const have = new Set(played.map((g) => matchKey(g.a, g.b)));
  const todo = schedule.filter(([a, b]) => !have.has(matchKey(a.id, b.id)));
  o.say(`scale "${name}": ${states.length} runs of ${config.game}, ${schedule.length} matches of ${o.games} games (${todo.length} to play)`);
  for (const [k, [a, b]] of schedule.entries()) {
    if (have.has(matchKey(a.id, b.id))) continue;
    if (ctx.signal.aborted) break;
    const outcome = await playMatch(ctx, { name: `scale-${k + 1}`, kind: 'match', a, b, games: o.games, seed: matchSeed(config.seed, 1, k), sims: o.sims ?? config.evalSims });
    const games: RatedGames = { iteration: null, ...outcome.rated };
    await appendFile(matchesFile, `${JSON.stringify(games)}\n`);
    played.push(games);
    o.say(`${a.id} vs ${b.id}: ${outcome.result.wins}-${outcome.result.draws}-${outcome.result.losses}`);
  }
  return reportOf(scale);
}

/** Checks a scale's runs (a ScaleError names the problem) and keeps them, so it can be read and played on later. */
export async function recordScale(runsDir: string, name: string, runNames: readonly string[], games: number): Promise<void> {
  const { paths } = await prepareScale(runsDir, name, runNames);
  await mkdir(paths.root, { recursive: true });
  await writeJsonAtomic(join(paths.root, 'scale.json'), { runs: runNames, games });
}

/** A scale as it stands (its runs kept in scale.json when it was first played): the fit of the games played so far. */
export async function readScale(runsDir: string, name: string): Promise<ScaleReport | null> {
  const runs = await scaleRuns(runsDir, name);
  return runs ? reportOf(await prepareScale(runsDir, name, runs)) : null;
}

async function scaleRuns(runsDir: string, name: string): Promise<string[] | null> {
  const file = join(runsDir, '.scales', name, 'scale.json');
  if (!existsSync(file)) return null;
  return (JSON.parse(await readFile(file, 'utf8')) as { runs: string[] }).runs;
}

/**
 * What a scale's report depends on, as the sizes and times of its files and its runs' journals: the
 * same answer, the same report (a panel polling a scale as it plays refolds nothing in between).
 */
export async function scaleVersion(runsDir: string, name: string): Promise<string | null> {
  const runs = await scaleRuns(runsDir, name);
  if (!runs) return null;
  const files = [join(runsDir, '.scales', name, 'scale.json'), join(runsDir, '.scales', name, 'matches.jsonl'), ...runs.map((run) => new RunPaths(runsDir, run).events)];
  return (await Promise.all(files.map(fileVersion))).join(' ');
}

/** One Bradley-Terry fit of every run's own games (its models under its name) and the games between the runs. */
export function scaleFit(runs: readonly Pick<RunState, 'name' | 'rated'>[], between: readonly RatedGames[]): RatingFit {
  return fitRatings(pairResults([...runs.flatMap((r) => r.rated.map((g) => onScale(r.name, g))), ...between]), ANCHOR_PLAYER);
}

function reportOf({ name, states, bests, references, schedule, played }: PreparedScale): ScaleReport {
  const fit = scaleFit(states, played);
  const game = states[0]!.config!.game;
  const have = new Set(played.map((g) => matchKey(g.a, g.b)));
  const rated = (id: string) => {
    const r = ratingOf(fit, id);
    return { elo: r?.elo ?? null, low: r?.elo_low ?? null, high: r?.elo_high ?? null };
  };
  const runOf = (id: string) => (id.includes('/') ? id.slice(0, id.indexOf('/')) : null);
  const met = new Set(played.flatMap((g) => (runOf(g.a) && runOf(g.b) ? [[runOf(g.a), runOf(g.b)].sort().join('\n')] : [])));
  const onFit = (run: string) => !fit.disconnected.some((id) => runOf(id) === run) && fit.players.some((p) => runOf(p.id) === run);
  const count = (games: readonly RatedGames[]) => games.reduce((n, g) => n + g.a_first.wins + g.a_first.draws + g.a_first.losses + g.b_first.wins + g.b_first.draws + g.b_first.losses, 0);
  return {
    name,
    game,
    runs: states.map((s, i) => ({ run: s.name, best: s.best!.iteration, ...rated(bests[i]!.id) })),
    references: references.map((r) => ({ id: r.id, ...rated(r.id) })),
    pairs: states.flatMap((a, i) =>
      states.slice(i + 1).map((b) => ({
        a: a.name,
        b: b.name,
        link: met.has([a.name, b.name].sort().join('\n')) ? ('games' as const) : onFit(a.name) && onFit(b.name) ? ('references' as const) : ('none' as const),
      })),
    ),
    games: count(played),
    fitGames: fit.games,
    matches: schedule.length,
    played_matches: schedule.filter(([a, b]) => have.has(matchKey(a.id, b.id))).length,
  };
}

/** The report for a terminal. */
export function scaleText(r: ScaleReport): string {
  const elo = (x: { elo: number | null; low: number | null; high: number | null }) => (x.elo === null ? 'not rated' : `${Math.round(x.elo)} [${Math.round(x.low!)}, ${Math.round(x.high!)}]`);
  const width = Math.max(...r.runs.map((x) => x.run.length), 3);
  return [
    `one scale for ${r.runs.length} runs of ${r.game} (random = 0, 95% intervals), from ${r.fitGames.toLocaleString('en')} games, ${r.games.toLocaleString('en')} of them between the runs' best models and the references:`,
    ...r.runs.map((x) => `  ${x.run.padEnd(width)}  best iteration ${String(x.best).padStart(4)}  ${elo(x)}`),
    `references: ${r.references.map((x) => `${x.id} ${elo(x)}`).join(', ')}`,
    ...r.pairs.map((p) => `  ${p.a} and ${p.b}: ${p.link === 'games' ? 'connected by games' : p.link === 'references' ? 'connected only through the references' : 'not connected'}`),
  ].join('\n');
}

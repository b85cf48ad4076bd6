import { boardAnswer } from '../../../src/shared/boards';
import { GAME_SPECS } from '../../../src/shared/games';
import { bundledDeclaration } from '../../../src/shared/games/declaration';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPositionSet } from '../../../src/main/orchestrator/evaluation/accuracyRunner';
import { readJournal } from '../../../src/main/orchestrator/state/journal';
import { listGameFiles, readGameRecords } from '../../../src/main/orchestrator/state/gameRecordsStore';
import { Orchestrator } from '../../../src/main/orchestrator/orchestrator';
import { keepsValue } from '../../../src/shared/positions';
import { foldRunEvents } from '../../../src/shared/runState';
import { fitRunRatings, ratingsProjection } from '../../../src/shared/runRatings';
import { fakeConfig, readJson, withTempDirPerTest } from './helpers';

let dir: string;
withTempDirPerTest((d) => (dir = d));

describe('evaluation: ratings, ladder, accuracy and game records', () => {
  it('journals every match for the ratings, plays the ladder, and rebuilds ratings.json from the journal alone', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ arena: { vsBest: 'wwdl', vsRandom: 'wwwd' } });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 4, ladderGames: 4 }));
    expect(await orchestrator.run()).toBe('completed');

    const { events } = await readJournal(orchestrator.paths.events);
    const rated = events.filter((e) => e.type === 'games.rated').map((e) => (e as Extract<typeof e, { type: 'games.rated' }>).games);
    const at = (iteration: number) =>
      rated
        .filter((g) => g.iteration === iteration)
        .map((g) => `${g.kind}:${g.b}`)
        .sort();
    // Iteration 1 has no best to play: random, then the ladder's nearest reference.
    expect(at(1)).toEqual(['random:random', expect.stringMatching(/^ladder:alphabeta-\d$/)].sort());
    // Iteration 4: the best (3) at the gate, random, and the ladder's 1 and 3 back (3 is the best, so not again) plus a reference.
    expect(at(4).filter((x) => x.startsWith('ladder:iter'))).toEqual(['ladder:iter-0001']);
    expect(at(4)).toContain('gate:iter-0003');
    // Colours are split: the fake's pattern "wwwd" from a's side, a first in the even games (w, w), second in the odd (w, d).
    const random1 = rated.find((g) => g.iteration === 1 && g.kind === 'random')!;
    expect(random1.a_first).toEqual({ wins: 2, draws: 0, losses: 0 });
    expect(random1.b_first).toEqual({ wins: 1, draws: 1, losses: 0 });

    const onDisk = await readJson(orchestrator.paths.ratingsJson);
    const rebuilt = ratingsProjection(fitRunRatings(foldRunEvents('fake', events).rated), onDisk.updated);
    expect(onDisk).toEqual(rebuilt);
    expect(onDisk.anchor).toBe('random');
    expect(onDisk.players.find((p: { id: string }) => p.id === 'random')).toMatchObject({ elo: 0 });
    expect(onDisk.players.find((p: { id: string }) => p.id === 'iter-0004')).toMatchObject({ iteration: 4, games: expect.any(Number) });

    const evals = (await readJson(orchestrator.paths.evalStats)).evaluations;
    expect(evals[3].ladder.played.map((p: { opponent: string }) => p.opponent)).toContain('iter-0001');
    expect(evals[3].ladder.skipped).toEqual([]);
  });

  it('starts the ladder reference match first, so the slowest match runs beside the others rather than alone at the end', async () => {
    const startLog = join(dir, 'arena-starts.txt');
    process.env.FAKE_ENGINE = JSON.stringify({ arena: { vsBest: 'wwdl', startLog } });
    // One actor: two processes at once, so exactly the first two matches started run before any other.
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 3, numActors: 1, ladderGames: 4 }));
    expect(await orchestrator.run()).toBe('completed');
    const starts = (await readFile(startLog, 'utf8')).trim().split('\n');
    const evals = (await readJson(orchestrator.paths.evalStats)).evaluations as { iteration: number; ladder: { played: { opponent: string }[] } }[];
    for (const e of evals) {
      const opponents = starts.filter((line) => line.startsWith(orchestrator.paths.model(e.iteration))).map((line) => line.split(' ')[1]!);
      expect(e.ladder.played.some((p) => p.opponent.startsWith('alphabeta-'))).toBe(true);
      expect(opponents.slice(0, 2)).toContainEqual(expect.stringMatching(/^alphabeta:\d+$/));
      // Every match of the evaluation logged its start (the gate, random and the ladder), so the order above is complete.
      expect(opponents.length).toBe(e.ladder.played.length + (e.iteration === 1 ? 1 : 2));
    }
  });

  it('skips a reference player the arena cannot play, says so, and rates what it can', async () => {
    process.env.FAKE_ENGINE = JSON.stringify({ arena: { vsBest: 'wddl', noReferences: true } });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 3, ladderGames: 4, gateThreshold: 0.55 }));
    expect(await orchestrator.run()).toBe('completed');
    const evals = (await readJson(orchestrator.paths.evalStats)).evaluations;
    expect(evals[0].ladder.skipped).toEqual([{ opponent: expect.stringMatching(/^alphabeta-/), reason: expect.stringMatching(/no player alphabeta:/) }]);
    // Once refused, a reference is not asked for again in this run; the models back are still played.
    const skipped = evals.flatMap((e: { ladder: { skipped: { opponent: string }[] } }) => e.ladder.skipped.map((x) => x.opponent));
    expect(new Set(skipped).size).toBe(skipped.length);
    expect(evals[2].ladder.played.map((p: { opponent: string }) => p.opponent)).toContain('iter-0002');
    const log = await readFile(orchestrator.paths.log(1, evals[0].ladder.skipped[0].opponent.replace(/^/, 'ladder-')), 'utf8');
    expect(log).toMatch(/this engine has no player alphabeta:/);
    const ratings = await readJson(orchestrator.paths.ratingsJson);
    expect(ratings.players.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['random', 'iter-0001', 'iter-0002']));
  });

  it('scores perfect-play accuracy through bestmove, by stage, and lists regressions against the best', async () => {
    const set = loadPositionSet('tictactoe')!;
    // Iteration 1 answers move 1 everywhere; iteration 2 answers a move that keeps the value everywhere but in one position iteration 1 got right.
    const good = set.positions.find((p) => keepsValue(p, 1))!;
    const moves: Record<string, number> = {};
    for (const p of set.positions) moves[p.position] = p.values.findIndex((v, a) => v !== null && keepsValue(p, a + 1)) + 1;
    moves[good.position] = good.values.findIndex((v, a) => v !== null && !keepsValue(good, a + 1)) + 1;
    process.env.FAKE_ENGINE = JSON.stringify({ arena: { vsBest: 'llll' } });
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 2, ladderGames: 0 }));
    // The engine's answers change once iteration 1 is done (children read the environment when they start).
    orchestrator.onEvent((e) => {
      if (e.type === 'iteration.completed' && e.stats.iteration === 1) process.env.FAKE_ENGINE = JSON.stringify({ arena: { vsBest: 'llll' }, bestmove: { moves } });
    });
    await orchestrator.run();
    const [first, second] = (await readJson(orchestrator.paths.evalStats)).evaluations.map((e: { accuracy: unknown }) => e.accuracy);
    const expected = set.positions.filter((p) => keepsValue(p, 1)).length / set.positions.length;
    expect(first).toMatchObject({ set: 'tictactoe-v1', positions: set.positions.length, regressions: [] });
    expect(first.rate).toBeCloseTo(expected, 10);
    expect(Object.keys(first.by_stage).sort()).toEqual(['end', 'middle', 'opening']);
    expect(first.missed).toHaveLength(set.positions.length - Math.round(expected * set.positions.length));
    expect(second.rate).toBeCloseTo(1 - 1 / set.positions.length, 10);
    expect(second.regressions).toEqual([good.position]);
  });

  it('keeps every arena game and sampled self-play games as records; a corrupt line is named and skipped', async () => {
    const TICTACTOE = bundledDeclaration('tictactoe');
    const judge = async (positions: string[]) => positions.map((p) => boardAnswer(GAME_SPECS.tictactoe, p));
    process.env.FAKE_ENGINE = JSON.stringify({ arena: { vsBest: 'wwdl' } });
    // One phase after another: iteration 2's self-play plays iteration 1's model, the best by then.
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 2, ladderGames: 2, overlapSelfplay: false }));
    await orchestrator.run();
    const files = await listGameFiles(orchestrator.paths, 2);
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['gate.jsonl', 'random.jsonl', expect.stringMatching(/^ladder-/)]));
    expect(files.find((f) => f.file === 'gate.jsonl')).toMatchObject({ kind: 'gate', games: 4 });
    // Two sampled self-play games per actor (the default), the self-play model named as both players.
    expect(files.filter((f) => f.kind === 'selfplay')).toEqual([
      { file: 'selfplay-actor-1.jsonl', kind: 'selfplay', games: 2 },
      { file: 'selfplay-actor-2.jsonl', kind: 'selfplay', games: 2 },
    ]);
    const selfplay = await readGameRecords(orchestrator.paths, TICTACTOE, 2, 'selfplay-actor-1.jsonl', judge);
    expect(selfplay.records[0]).toMatchObject({ kind: 'selfplay', players: ['iter-0001', 'iter-0001'], opening: 1, moves: [5, 1, 9, 3, 2] });
    const gate = await readGameRecords(orchestrator.paths, TICTACTOE, 2, 'gate.jsonl', judge);
    expect(gate.records[0]).toMatchObject({ kind: 'gate', iteration: 2, players: ['iter-0002', 'iter-0001'], moves: [5, 1, 9, 3, 2], result: 'first' });
    expect(gate.records[1]).toMatchObject({ players: ['iter-0001', 'iter-0002'], result: 'second' });

    // Written gzipped; a damaged file of the earlier plain layout is read too.
    const zipped = join(orchestrator.paths.gamesDir(2), 'gate.jsonl.gz');
    const lines = gunzipSync(await readFile(zipped))
      .toString('utf8')
      .split('\n');
    lines.splice(1, 0, '{"half a line', JSON.stringify({ players: ['a', 'b'], moves: [12], result: 'first' }), JSON.stringify({ players: ['a', 'b'], moves: [5, 5], result: 'first' }));
    await rm(zipped);
    await writeFile(join(orchestrator.paths.gamesDir(2), 'gate.jsonl'), lines.join('\n'));
    const damaged = await readGameRecords(orchestrator.paths, TICTACTOE, 2, 'gate.jsonl', judge);
    expect(damaged.records).toHaveLength(4);
    expect(damaged.skipped).toEqual([
      { line: 2, error: 'not JSON' },
      { line: 3, error: '"moves" must be moves from 1 to 9, the actions Tic-tac-toe declares' },
      { line: 4, error: 'the engine refuses its moves: move 2 of "55" (5) is illegal: cell 5 is not free after "5"' },
    ]);
  });
});

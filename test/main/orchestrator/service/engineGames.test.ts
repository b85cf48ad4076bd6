import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledDeclaration, bundledDeclarations, declarationProblem } from '../../../../src/shared/games/declaration';
import { RunManager } from '../../../../src/main/orchestrator/service/runManager';
import { PositionBoards } from '../../../../src/main/orchestrator/service/positionBoards';
import { PROTOCOL_PARSERS } from '../../../../src/shared/protocol';
import { Orchestrator } from '../../../../src/main/orchestrator/orchestrator';
import { bundledEngineCommand } from '../../../../src/main/orchestrator/process/engineCommands';
import { declaredGame, engineGames } from '../../../../src/main/orchestrator/service/engineGames';
import { FAKE_ENGINE, fakeConfig, withTempDirPerTest } from '../helpers';

let dir: string;
withTempDirPerTest((d) => (dir = d));

/** An engine whose `games` prints `lines` and exits with `code`. */
async function engineSaying(lines: unknown[], code = 0): Promise<string[]> {
  const script = join(dir, 'engine.mjs');
  await writeFile(script, `for (const l of ${JSON.stringify(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))))}) console.log(l); process.exitCode = ${code};`);
  return [process.execPath, script];
}

describe("an engine's games", () => {
  it('the bundled engine declares tic-tac-toe, Connect Four and Othello 6x6 through the protocol, each declaration whole', async () => {
    const games = await engineGames(bundledEngineCommand());
    expect(games.map((g) => g.id)).toEqual(['tictactoe', 'connect4', 'othello6']);
    expect(games).toEqual(bundledDeclarations());
    expect(games[0]).toMatchObject({ players: ['X', 'O'], actions: 9, observation: [18], board: { moves: 'cells', cells: expect.arrayContaining([[1, 1]]) } });
    expect(games[1]).toMatchObject({
      board: { rows: 6, cols: 7, moves: 'columns' },
      capabilities: { bestmove: true, references: expect.arrayContaining([{ player: 'alphabeta:4', label: 'alpha-beta depth 4', elo: 1089 }]), positions: true },
    });
    expect(games[2]).toMatchObject({
      players: ['Black', 'White'],
      actions: 37,
      observation: [108],
      board: { rows: 6, cols: 6, moves: 'cells' },
      notation: { separator: ' ' },
      capabilities: { bestmove: true, positions: false },
    });
    expect(games[2]!.board.cells!.slice(-2)).toEqual([[5, 5], null]);
    expect([games[2]!.notation.moves[0], games[2]!.notation.moves[7], games[2]!.notation.moves[36]]).toEqual(['a1', 'b2', 'pass']);
    expect(games[2]!.capabilities!.references!.map((r) => r.player)).toEqual(['alphabeta:1', 'alphabeta:2', 'alphabeta:4', 'alphabeta:6']);
    for (const g of games) expect(declarationProblem(g)).toBeNull();
  });

  it('an engine without the subcommand, or with a declaration that cannot be used, is refused with the command, the field and the fix', async () => {
    await expect(engineGames([...FAKE_ENGINE]).then((g) => g.map((d) => d.id))).resolves.toEqual(['tictactoe', 'connect4', 'four-5x5']);
    process.env.FAKE_ENGINE = JSON.stringify({ games: { missing: true } });
    await expect(engineGames([...FAKE_ENGINE])).rejects.toThrow(
      /fake-engine\.mjs games" does not declare its games \(exit 2: \[fake games\] unknown subcommand games\); an engine answers the "games" subcommand/,
    );
    const bad = { ...bundledDeclarations()[0]!, notation: { moves: ['1', '2'], separator: '' } };
    await expect(engineGames(await engineSaying([bad]))).rejects.toThrow('declares games that cannot be used: game "tictactoe": notation.moves names 2 moves for 9 actions; name each action once');
    await expect(engineGames(await engineSaying([{ ...bad, actions: 0 }]))).rejects.toThrow(`the "game" event's "actions" must be a whole number from 1 (got 0)`);
    expect(() => declaredGame(bundledDeclarations(), 'go9', ['my-engine'])).toThrow(
      'game "go9" is not one the engine "my-engine" offers; it offers tictactoe (Tic-tac-toe), connect4 (Connect Four), othello6 (Othello 6x6)',
    );
    delete process.env.FAKE_ENGINE;
    const fourInARow = (await engineGames([...FAKE_ENGINE]))[2]!;
    expect(declarationProblem({ ...fourInARow, notation: { moves: Array.from({ length: 26 }, (_, a) => String(a + 1)), separator: '' } })).toBe(
      'game "four-5x5": move "1" begins another move\'s name, so positions without a separator read two ways; set notation.separator (" ")',
    );
    expect(declarationProblem({ ...fourInARow, capabilities: { positions: true } })).toMatch(
      /capabilities.positions is true, but Loopdeck has a perfect-play position set only for tictactoe, connect4/,
    );
  });

  it('a run keeps its game as the engine declared it; a game the engine lacks is refused before anything is written', async () => {
    const orchestrator = await Orchestrator.create(fakeConfig(dir));
    expect(orchestrator.game).toMatchObject({ id: 'tictactoe', players: ['X', 'O'] });
    expect(JSON.parse(await readFile(orchestrator.paths.runJson, 'utf8')).game_declaration).toEqual(orchestrator.game);
    const created = JSON.parse((await readFile(orchestrator.paths.events, 'utf8')).split('\n')[0]!);
    expect(created).toMatchObject({ type: 'run.created', game: orchestrator.game });
    await orchestrator.close();
    const lacking = await engineSaying([bundledDeclarations()[1], { event: 'done', games: 1 }]);
    await expect(Orchestrator.create(fakeConfig(dir, { name: 'other', actorCommand: lacking }))).rejects.toThrow(
      /game "tictactoe" is not one the engine ".*engine\.mjs" offers; it offers connect4 \(Connect Four\)/,
    );
    expect(existsSync(join(dir, 'other'))).toBe(false);
  });

  it('the protocol reads a declaration line, naming a bad field', () => {
    expect(PROTOCOL_PARSERS.games(JSON.stringify(bundledDeclarations()[1]))).toMatchObject({ event: 'game', id: 'connect4' });
    expect(() => PROTOCOL_PARSERS.games(JSON.stringify({ ...bundledDeclarations()[1], id: 'Connect Four' }))).toThrow(
      `the "game" event's "id" must be an id of 1-64 lowercase letters, digits, ".", "-" or "_" (got "Connect Four")`,
    );
  });
});

describe('a game Loopdeck has never seen', () => {
  const fourInARow = {
    iterations: 2,
    episodesPerIteration: 4,
    stepsPerIteration: 2,
    evalGames: 4,
    ladderGames: 2,
    game: 'four-5x5',
    actorCommand: FAKE_ENGINE,
    trainerCommand: FAKE_ENGINE,
    arenaCommand: FAKE_ENGINE,
  };

  it("trains, rates against the engine's reference, and shows positions and records through the engine's board", async () => {
    const manager = new RunManager({ runsDir: dir, surface: 'gui' });
    try {
      const done = new Promise<void>((r) => manager.onEvent((e) => e.type === 'run.state' && e.status === 'completed' && r()));
      await manager.startRun({ name: 'own', ...fourInARow });
      await done;
      const { state, ratings } = await manager.getRun('own');
      expect(state.game).toMatchObject({ id: 'four-5x5', players: ['Black', 'White'] });
      // Games without a position set's notation are never scored for accuracy.
      expect(state.evaluations.map((e) => e.accuracy)).toEqual([null, null]);
      expect(ratings?.players.some((p) => p.id === 'greedy')).toBe(true);
      const [opening, refused, unknown] = await manager.showPositions('own', ['a5 e1 pass', 'a5 a5', 'z9']);
      expect(opening).toEqual({ position: 'a5 e1 pass', board: ['x....', '.....', '.....', '.....', '....o'], to_move: 2, legal: expect.any(Array), result: null });
      expect(refused).toEqual({ position: 'a5 a5', error: 'move 2 ("a5") is illegal: taken' });
      expect(unknown).toMatchObject({ position: 'z9', error: expect.stringMatching(/not a move/) });
      const gate = await manager.readGames('own', 2, 'gate.jsonl');
      expect(gate.records.length).toBe(4);
      expect(gate.records[0]!.moves).toEqual([5, 1, 9, 3, 2]);
    } finally {
      await manager.shutdown();
    }
  });

  it("an engine's board answer that does not fit its declaration is an error for that position, not a drawing", async () => {
    const script = join(dir, 'wrong-board.mjs');
    // Its board has 4 columns where the game declares 5.
    await writeFile(
      script,
      `import { createInterface } from 'node:readline';
for await (const position of createInterface({ input: process.stdin })) console.log(JSON.stringify({ position, board: ['....', '....', '....', '....', '....'], to_move: 1, legal: [1], result: null }));`,
    );
    const game = (await engineGames([...FAKE_ENGINE]))[2]!;
    const boards = new PositionBoards();
    try {
      expect(await boards.show([process.execPath, script], game, ['', 'a5'])).toEqual([
        { position: '', error: "the engine's board answer does not fit Four on 5x5 as declared: its board is not 5 rows of 5 cells" },
        { position: 'a5', error: "the engine's board answer does not fit Four on 5x5 as declared: its board is not 5 rows of 5 cells" },
      ]);
    } finally {
      await boards.close();
    }
  });

  it('a run made before engines declared their games opens and resumes with its bundled game', async () => {
    const config = fakeConfig(dir, { iterations: 1 });
    const orchestrator = await Orchestrator.create(config);
    await orchestrator.run();
    await orchestrator.close();
    const journal = orchestrator.paths.events;
    const [created, ...rest] = (await readFile(journal, 'utf8')).split('\n');
    const { game: _, ...older } = JSON.parse(created!);
    await writeFile(journal, [JSON.stringify(older), ...rest].join('\n'));
    const reopened = await Orchestrator.open(config.runsDir, config.name);
    expect(reopened.game).toEqual(bundledDeclaration('tictactoe'));
    // Resumed for one more iteration, it plays the game it always did.
    await reopened.settings.change({ iterations: 2 }, 'test');
    await reopened.run();
    expect(reopened.view().state.iterations.map((s) => s.iteration)).toEqual([1, 2]);
    await reopened.close();
  });
});

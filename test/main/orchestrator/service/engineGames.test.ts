import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledDeclarations, declarationProblem } from '../../../../src/shared/games/declaration';
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
  it('the bundled engine declares tic-tac-toe and Connect Four through the protocol, each declaration whole', async () => {
    const games = await engineGames(bundledEngineCommand());
    expect(games.map((g) => g.id)).toEqual(['tictactoe', 'connect4']);
    expect(games).toEqual(bundledDeclarations());
    expect(games[0]).toMatchObject({ players: ['X', 'O'], actions: 9, observation: [18], board: { moves: 'cells', cells: expect.arrayContaining([[1, 1]]) } });
    expect(games[1]).toMatchObject({ board: { rows: 6, cols: 7, moves: 'columns' }, capabilities: { bestmove: true, references: expect.arrayContaining(['alphabeta:4']), positions: true } });
    for (const g of games) expect(declarationProblem(g)).toBeNull();
  });

  it('an engine without the subcommand, or with a declaration that cannot be used, is refused with the command, the field and the fix', async () => {
    await expect(engineGames([...FAKE_ENGINE]).then((g) => g.length)).resolves.toBe(2);
    process.env.FAKE_ENGINE = JSON.stringify({ games: { missing: true } });
    await expect(engineGames([...FAKE_ENGINE])).rejects.toThrow(
      /fake-engine\.mjs games" does not declare its games \(exit 2: \[fake games\] unknown subcommand games\); an engine answers the "games" subcommand/,
    );
    const bad = { ...bundledDeclarations()[0]!, notation: { moves: ['1', '2'], separator: '' } };
    await expect(engineGames(await engineSaying([bad]))).rejects.toThrow('declares games that cannot be used: game "tictactoe": notation.moves names 2 moves for 9 actions; name each action once');
    await expect(engineGames(await engineSaying([{ ...bad, actions: 0 }]))).rejects.toThrow(`the "game" event's "actions" must be a whole number from 1 (got 0)`);
    expect(() => declaredGame(bundledDeclarations(), 'othello6', ['my-engine'])).toThrow(
      'game "othello6" is not one the engine "my-engine" offers; it offers tictactoe (Tic-tac-toe), connect4 (Connect Four)',
    );
  });

  it('a run keeps its game as the engine declared it; a game the engine lacks is refused before anything is written', async () => {
    const orchestrator = await Orchestrator.create(fakeConfig(dir));
    expect(JSON.parse(await readFile(orchestrator.paths.gameJson, 'utf8'))).toMatchObject({ id: 'tictactoe', players: ['X', 'O'] });
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

/**
 * The games an engine offers: its answer to the protocol's `games` subcommand, each declaration
 * checked (its fields by the protocol's schema, the rest by declarationProblem). An engine that
 * does not answer, or answers what cannot be used, is refused with the command and the fix.
 */
import { ApiError } from '../../../shared/api';
import { joinCommandLine } from '../../../shared/commandLine';
import { declarationProblem } from '../../../shared/games/declaration';
import type { GameDeclaration } from '../../../shared/protocol';
import { askEngine } from '../process/engineQuery';

const TIMEOUT_MS = 30_000;

export async function engineGames(command: readonly string[]): Promise<GameDeclaration[]> {
  const line = joinCommandLine([...command, 'games']);
  const refuse = (why: string) => new ApiError({ code: 'invalid_config', message: `the engine "${line}" ${why}`, errors: [{ field: 'actorCommand', message: `the actor command ${why}` }] });
  const answer = await askEngine(command, 'games', TIMEOUT_MS);
  const games: GameDeclaration[] = [];
  const problems = [...answer.problems];
  for (const event of answer.events) {
    if (event.event !== 'game') continue;
    const problem = declarationProblem(event);
    if (problem) problems.push(problem);
    else games.push(event);
  }
  if (answer.ok && problems.length) throw refuse(`declares games that cannot be used: ${problems.join('; ')}; fix its "games" answer (docs/protocol.md, games)`);
  if (!answer.ok || games.length === 0) {
    const said = [answer.lastLog, ...problems].filter(Boolean).join('; ');
    throw refuse(`does not declare its games (${answer.ending}${said ? `: ${said}` : ''}); an engine answers the "games" subcommand with one JSON line per game (docs/protocol.md, games)`);
  }
  return games;
}

/** The declaration of `game` among an engine's, or the refusal that names what the engine offers. */
export function declaredGame(games: readonly GameDeclaration[], game: string, command: readonly string[]): GameDeclaration {
  const found = games.find((g) => g.id === game);
  if (found) return found;
  const offers = games.map((g) => `${g.id} (${g.label})`).join(', ');
  throw new ApiError({
    code: 'invalid_config',
    message: `game "${game}" is not one the engine "${joinCommandLine(command)}" offers; it offers ${offers}`,
    errors: [{ field: 'game', message: `"${game}" is not a game of the actor command; choose one of ${offers}` }],
  });
}

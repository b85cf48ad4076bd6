/**
 * loopdeck-engine games: one `game` line per game this engine offers (docs/protocol.md, games),
 * then `done`. The orchestrator asks it when a run is created.
 */
import { bundledDeclarations } from '../../shared/games/declaration';
import { Flags } from '../flags';
import { emitter } from '../io';

export async function run(argv: string[]): Promise<number> {
  const emit = emitter('games');
  Flags.of('games', argv);
  const games = bundledDeclarations();
  for (const game of games) emit(game);
  emit({ event: 'done', games: games.length });
  return 0;
}

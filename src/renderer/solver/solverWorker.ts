/**
 * Solves the positions of one game off the page's thread, last position first
 * (late positions solve in milliseconds, early ones can take seconds), and
 * posts each answer as it comes: the perfect-play value of every legal move.
 */
import { GAME_SPECS, isGameId } from '../../shared/games';
import type { SolverAnswer, SolverRequest } from './protocol';

const post = (answer: SolverAnswer) => (self as unknown as { postMessage(m: SolverAnswer): void }).postMessage(answer);

self.onmessage = (event: MessageEvent<SolverRequest>) => {
  const { game: id, moves, fromPly } = event.data;
  const spec = isGameId(id) ? GAME_SPECS[id] : null;
  const solvers = spec?.solver;
  if (!spec || !solvers) return;
  const game = spec.rules;
  const oracle = solvers.createOracle();
  // Records are checked by the server; still, positions after an illegal move or the game's end are not solved.
  const states: unknown[] = [game.initial()];
  for (const move of moves) {
    const last = states[states.length - 1];
    if (game.outcome(last) !== null || !game.legalActions(last).includes(move - 1)) break;
    states.push(game.play(last, move - 1));
  }
  for (let index = moves.length - 1; index >= 0; index--) {
    if (index < fromPly || index >= states.length - 1) {
      post({ index, values: null });
      continue;
    }
    const values = oracle.moveValues(states[index]);
    post({ index, values: Object.fromEntries([...values].map(([action, v]) => [action + 1, v])) });
  }
};

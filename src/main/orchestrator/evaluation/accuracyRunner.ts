/**
 * Perfect-play accuracy of a model: its move in each position of the game's
 * labelled set (data/positions), asked through the protocol's `bestmove` of
 * the arena command at the evaluation simulations, so any engine that
 * implements bestmove can be scored. A game without a set has no score.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isGameId } from '../../../shared/games';
import { positionSetName, scoreAccuracy, type AccuracyScore, type PositionSet } from '../../../shared/positions';
import { findPackageRoot } from '../../../node/loopdeckBuild';
import { spawnPhaseProcess, type PhaseContext } from '../phaseContext';

const sets = new Map<string, PositionSet | null>();

/** The game's current position set, or null when Loopdeck has none for it. */
export function loadPositionSet(game: string): PositionSet | null {
  if (!isGameId(game)) return null;
  const name = positionSetName(game);
  if (!sets.has(name)) {
    const path = join(findPackageRoot(), 'data', 'positions', `${name}.json`);
    sets.set(name, existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PositionSet) : null);
  }
  return sets.get(name)!;
}

export const ACCURACY_PROCESS = 'accuracy';

export async function scoreModelAccuracy(ctx: PhaseContext, model: string, previousMissed: readonly string[] | null): Promise<AccuracyScore | null> {
  // Only where the engine says its bestmove speaks the notation of Loopdeck's set for the game.
  const set = ctx.game.capabilities?.positions ? loadPositionSet(ctx.game.id) : null;
  if (!set) return null;
  const moves = new Map<string, number | null>();
  await spawnPhaseProcess(ctx, {
    name: ACCURACY_PROCESS,
    role: 'arena',
    subcommand: 'bestmove',
    flags: { game: ctx.config.game, model, sims: ctx.config.evalSims },
    input: `${set.positions.map((p) => p.position).join('\n')}\n`,
    onEvent: (answer) => moves.set(answer.position, 'move' in answer ? answer.move : null),
  });
  if (moves.size === 0) throw new Error('bestmove answered no position');
  return scoreAccuracy(set, moves, previousMissed);
}

/**
 * Perfect-play accuracy of a model: its move in each position of the game's
 * labelled set (data/positions), asked through the protocol's `bestmove` of
 * the arena command at the evaluation simulations, so any engine that
 * implements bestmove can be scored. A game without a set has no score.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GameId } from '../../../shared/games';
import { positionSetName, scoreAccuracy, type AccuracyScore, type PositionSet } from '../../../shared/positions';
import type { ProtocolMessage } from '../process/childProcess';
import { findPackageRoot } from '../process/engineCommands';
import { spawnPhaseProcess, type PhaseContext } from '../phaseContext';

const sets = new Map<string, PositionSet | null>();

/** The game's current position set, or null when it has none. */
export function loadPositionSet(game: GameId): PositionSet | null {
  const name = positionSetName(game);
  if (!sets.has(name)) {
    const path = join(findPackageRoot(), 'data', 'positions', `${name}.json`);
    sets.set(name, existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PositionSet) : null);
  }
  return sets.get(name)!;
}

/** bestmove answers lines without an `event` field: each becomes a `reply` message. */
function parseReply(line: string): ProtocolMessage | null {
  const text = line.trim();
  if (!text) return null;
  const value = JSON.parse(text) as unknown;
  if (!value || typeof value !== 'object' || typeof (value as { position?: unknown }).position !== 'string')
    throw new Error(`not a bestmove reply (an object with a "position"): ${text.slice(0, 200)}`);
  return { ...(value as object), event: 'reply' };
}

export const ACCURACY_PROCESS = 'accuracy';

export async function scoreModelAccuracy(ctx: PhaseContext, model: string, previousMissed: readonly string[] | null): Promise<AccuracyScore | null> {
  const set = loadPositionSet(ctx.config.game);
  if (!set) return null;
  const moves = new Map<string, number | null>();
  await spawnPhaseProcess(ctx, {
    name: ACCURACY_PROCESS,
    role: 'arena',
    subcommand: 'bestmove',
    flags: { game: ctx.config.game, model, sims: ctx.config.evalSims },
    input: `${set.positions.map((p) => p.position).join('\n')}\n`,
    parseLine: parseReply,
    onMessage: (m) => {
      const position = m.position as string;
      moves.set(position, typeof m.move === 'number' && Number.isInteger(m.move) ? m.move : null);
    },
  });
  if (moves.size === 0) throw new Error('bestmove answered no position');
  return scoreAccuracy(set, moves, previousMissed);
}

/**
 * Players that can be rated, by id, and how an arena is told to play them
 * (its `--a/--b` spec): a model path, `random`, or `alphabeta:D`.
 */
import { RANDOM_PLAYER } from './protocol';

export type PlayerRef = { kind: 'model'; iteration: number } | { kind: 'random' } | { kind: 'alphabeta'; depth: number };

export const RANDOM_ID = 'random';

export function modelPlayerId(iteration: number): string {
  return `iter-${String(iteration).padStart(4, '0')}`;
}

export function alphaBetaId(depth: number): string {
  return `alphabeta-${depth}`;
}

export function playerId(player: PlayerRef): string {
  return player.kind === 'model' ? modelPlayerId(player.iteration) : player.kind === 'random' ? RANDOM_ID : alphaBetaId(player.depth);
}

export function parsePlayerId(id: string): PlayerRef | null {
  if (id === RANDOM_ID) return { kind: 'random' };
  const model = /^iter-(\d{4,})$/.exec(id);
  if (model) return { kind: 'model', iteration: Number(model[1]) };
  const ab = /^alphabeta-(\d+)$/.exec(id);
  if (ab) return { kind: 'alphabeta', depth: Number(ab[1]) };
  return null;
}

/** The arena spec of a player that is not a model: `random`, `alphabeta:4`. */
export function referenceSpec(player: Exclude<PlayerRef, { kind: 'model' }>): string {
  return player.kind === 'random' ? RANDOM_PLAYER : `alphabeta:${player.depth}`;
}

/** An arena spec that names a built-in player rather than a model file. */
export function parseReferenceSpec(spec: string): Exclude<PlayerRef, { kind: 'model' }> | { error: string } | null {
  if (spec === RANDOM_PLAYER) return { kind: 'random' };
  const ab = /^alphabeta:(\d+)$/.exec(spec);
  if (ab) return { kind: 'alphabeta', depth: Number(ab[1]) };
  if (/^[a-z]+:/.test(spec)) return { error: `unknown player "${spec}"; players are a model path, "random" or "alphabeta:D"` };
  return null;
}

/** Short label for tables and charts: "iteration 3", "random", "alpha-beta depth 4". */
export function playerLabel(id: string): string {
  const ref = parsePlayerId(id);
  if (!ref) return id;
  return ref.kind === 'model' ? `iteration ${ref.iteration}` : ref.kind === 'random' ? 'random' : `alpha-beta depth ${ref.depth}`;
}

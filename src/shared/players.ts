/**
 * Players that can be rated, by id, and how an arena is told to play them
 * (its `--a/--b` spec): a model path, `random`, or a reference player its
 * engine declares (`alphabeta:4`, docs/protocol.md, games).
 */
import { RANDOM_PLAYER, REFERENCE_SPEC } from './protocol';

export type PlayerRef = { kind: 'model'; iteration: number } | { kind: 'random' } | { kind: 'reference'; spec: string };

export const RANDOM_ID = 'random';

export function modelPlayerId(iteration: number): string {
  return `iter-${String(iteration).padStart(4, '0')}`;
}

/** A reference player's id (file- and folder-safe): its arena spec with "-" for ":" ("alphabeta-4"). */
export function referenceId(spec: string): string {
  return spec.replace(':', '-');
}

export function parsePlayerId(id: string): PlayerRef | null {
  if (id === RANDOM_ID) return { kind: 'random' };
  const model = /^iter-(\d{4,})$/.exec(id);
  if (model) return { kind: 'model', iteration: Number(model[1]) };
  // A spec's name has no "-", so the first one stands for its ":".
  const spec = id.replace('-', ':');
  return REFERENCE_SPEC.test(spec) && spec !== RANDOM_PLAYER ? { kind: 'reference', spec } : null;
}

/** The arena spec of a player that is not a model: `random`, `alphabeta:4`. */
export function referenceSpec(player: Exclude<PlayerRef, { kind: 'model' }>): string {
  return player.kind === 'random' ? RANDOM_PLAYER : player.spec;
}

/** Short label for tables and charts: "iteration 3", "random", "alpha-beta depth 4", "greedy". */
export function playerLabel(id: string): string {
  const ref = parsePlayerId(id);
  if (!ref) return id;
  if (ref.kind === 'model') return `iteration ${ref.iteration}`;
  if (ref.kind === 'random') return 'random';
  const depth = /^alphabeta:(\d+)$/.exec(ref.spec);
  return depth ? `alpha-beta depth ${depth[1]}` : ref.spec.replace(':', ' ');
}

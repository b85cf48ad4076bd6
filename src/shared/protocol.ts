/**
 * The process protocol between the orchestrator and engine processes
 * (docs/protocol.md): flags in, one JSON object per stdout line out, each with
 * an `event` field; human logs on stderr; exit code 0 on success.
 */

import type { MoveSearch } from './gameRecords';

/** A game's record, optional on `game` events (docs/protocol.md). */
interface RecordFields {
  moves?: number[];
  opening?: number;
  search?: MoveSearch[];
}

export type SelfplayEvent =
  | { event: 'progress'; episodes: number; positions: number }
  /** `episodes`: the games the shard holds (optional: without it, those finished since the previous shard). */
  | { event: 'shard'; path: string; positions: number; episodes?: number }
  | { event: 'done'; episodes: number; positions: number; seconds: number }
  | ({ event: 'game'; moves: number[]; result: 'first' | 'second' | 'draw' } & RecordFields);

export type TrainEvent =
  | { event: 'progress'; step: number; loss: number; policy_loss: number; value_loss: number; lr: number; samples_per_sec: number }
  | { event: 'done'; step: number; loss: number };

export type ArenaResult = 'win' | 'draw' | 'loss';

export type ArenaEvent =
  | ({ event: 'game'; index: number; a_first: boolean; result: ArenaResult } & RecordFields)
  | { event: 'done'; wins: number; draws: number; losses: number }
  | { event: 'error'; code: 'unknown_player'; message: string };

export interface BestmoveReply {
  position: string;
  move: number;
  policy: number[];
  value: number;
}

export interface BestmoveError {
  position: string;
  error: string;
}

export type EngineSubcommand = 'selfplay' | 'train' | 'arena' | 'bestmove';

/** `--b random` in arena: the uniformly random player. `--model none`: no network yet. */
export const RANDOM_PLAYER = 'random';
export const NO_MODEL = 'none';

/** Parse one stdout line. Returns null for blank lines; throws on anything that is not a protocol object. */
export function parseProtocolLine(line: string): { event: string; [k: string]: unknown } | null {
  const text = line.trim();
  if (text === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`not JSON: ${text.slice(0, 200)}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof (value as { event?: unknown }).event !== 'string')
    throw new Error(`not a protocol event (an object with a string "event" field): ${text.slice(0, 200)}`);
  return value as { event: string };
}

/**
 * The process protocol between the orchestrator and engine processes
 * (docs/protocol.md): flags in, one JSON object per stdout line out, each with
 * an `event` field; human logs on stderr; exit code 0 on success.
 *
 * Each subcommand's flags and events are declared here once. The schemas are
 * the runtime check of what an engine prints and, through their inferred
 * types, the type of what the bundled engine emits and of what the
 * orchestrator's runners read, so a field renamed on one side fails the
 * type-check on the other.
 */
import * as v from 'valibot';
import { describeIssue } from './schemaIssues';
import { GAME_ID_PATTERN, GAME_ID_RULE } from './games/ids';

const number = v.pipe(v.number('a number'), v.finite('a finite number'));
const count = v.pipe(v.number('a number'), v.integer('a whole number'), v.minValue(0, 'a whole number from 0'));
const moveNumbers = v.array(v.pipe(v.number('a number'), v.integer('a whole number')), 'a list of move numbers');

/** The root of one searched move: per action (0-based) visit counts and prior, and the value for the player to move. */
export const MoveSearchSchema = v.object({ visits: v.array(number, 'a list of numbers'), prior: v.array(number, 'a list of numbers'), value: number }, 'an object {visits, prior, value}');
export type MoveSearch = v.InferOutput<typeof MoveSearchSchema>;

/** A game's record, optional on `game` events: moves in the notation's numbers, the random opening's length, and each move's search (null where it was not searched). */
const recordFields = {
  moves: v.optional(moveNumbers),
  opening: v.optional(count),
  search: v.optional(v.array(v.nullable(MoveSearchSchema), 'a list of searches or nulls')),
};

/** `{event: "error", code, message}` before a non-zero exit; every subcommand may send it. */
const errorEvent = v.object({ event: v.literal('error'), code: v.optional(v.string('a text')), message: v.string('a text') });

const SELFPLAY_EVENTS = {
  progress: v.object({ event: v.literal('progress'), episodes: count, positions: count }),
  /** `episodes`: the games the shard holds (without it, those finished since the previous shard). */
  shard: v.object({ event: v.literal('shard'), path: v.string('a text'), positions: count, episodes: v.optional(count) }),
  done: v.object({ event: v.literal('done'), episodes: count, positions: count, seconds: v.optional(number) }),
  game: v.object({ event: v.literal('game'), ...recordFields, moves: moveNumbers, result: v.picklist(['first', 'second', 'draw'], '"first", "second" or "draw"') }),
  error: errorEvent,
};

const TRAIN_EVENTS = {
  /** `step` is global: start-step + steps taken. */
  progress: v.object({
    event: v.literal('progress'),
    step: count,
    loss: number,
    policy_loss: v.optional(number),
    value_loss: v.optional(number),
    lr: v.optional(number),
    samples_per_sec: v.optional(number),
  }),
  done: v.object({ event: v.literal('done'), step: count, loss: number }),
  error: errorEvent,
};

const ARENA_EVENTS = {
  /** `result` for player a; a moves first when `a_first` (default true). */
  game: v.object({
    event: v.literal('game'),
    index: v.optional(count),
    a_first: v.optional(v.boolean('true or false')),
    result: v.picklist(['win', 'draw', 'loss'], '"win", "draw" or "loss"'),
    ...recordFields,
  }),
  done: v.object({ event: v.literal('done'), wins: count, draws: count, losses: count }),
  /** `code: "unknown_player"`: the arena cannot play one of the players (then it exits 2). */
  error: errorEvent,
};

/** A game's id: what runs name it by (a folder-safe word). */
const gameId = v.pipe(v.string('a text'), v.regex(GAME_ID_PATTERN, GAME_ID_RULE));
const positive = v.pipe(v.number('a number'), v.integer('a whole number'), v.minValue(1, 'a whole number from 1'));
const text = v.pipe(v.string('a text'), v.minLength(1, 'a non-empty text'));
const hexColor = v.pipe(v.string('a text'), v.regex(/^#[0-9a-fA-F]{6}$/, 'a colour "#rrggbb"'));
const letter = v.pipe(v.string('a text'), v.minLength(1, 'one or two characters'), v.maxLength(2, 'one or two characters'));
/** An arena player that is not a model: a name, and optionally ":" and an argument ("alphabeta:4", "greedy"). */
export const REFERENCE_SPEC = /^[a-z][a-z0-9_.]{0,31}(:[a-z0-9_.-]{1,32})?$/;
const referenceSpec = v.pipe(v.string('a text'), v.regex(REFERENCE_SPEC, 'an arena player spec: a lowercase name, optionally ":" and an argument ("alphabeta:4")'));

/**
 * What an engine says of each game it offers (the `games` subcommand): enough for the orchestrator
 * to check a run's settings and for the panel to draw any position the engine sends it (boards
 * come from the engine, since the panel does not know the rules).
 */
export const GameDeclarationSchema = v.object({
  event: v.literal('game'),
  id: gameId,
  label: text,
  /** The two sides, first mover first: what the board's pieces are called ("Red", "Yellow"). */
  players: v.tuple([text, text], 'two names, first mover first'),
  /** Size of the policy: actions are 0-based indices below it. */
  actions: positive,
  /** Shape of the observation the network takes (its product is the observation's length). */
  observation: v.pipe(v.array(positive, 'a list of whole numbers'), v.minLength(1, 'a shape of at least one dimension')),
  board: v.object({
    rows: positive,
    cols: positive,
    /**
     * How a click makes a move: "cells", each action placing on `cells[action]` ([row, col] from the
     * top left; null for an action with no cell, a pass); "columns", action c dropping in column c.
     */
    moves: v.picklist(['cells', 'columns'], '"cells" or "columns"'),
    cells: v.optional(
      v.array(
        v.nullable(v.tuple([v.pipe(v.number(), v.integer(), v.minValue(0)), v.pipe(v.number(), v.integer(), v.minValue(0))], '[row, column]')),
        'a list of [row, column] or null, one per action',
      ),
    ),
    /** How the two players' pieces look: a colour each ("#dc2626"), and optionally a letter drawn instead of a disc ("X", "O"). */
    colors: v.optional(v.tuple([hexColor, hexColor], 'two colours "#rrggbb", first player first')),
    letters: v.optional(v.tuple([letter, letter], 'two letters, first player first')),
  }),
  /** The move-sequence notation of positions (bestmove's stdin, the records): each action's name, joined by `separator`. */
  notation: v.object({ moves: v.array(text, 'a list of move names, one per action'), separator: v.string('a text') }),
  /** What the engine can do beyond self-play, training and arena games between models and random. */
  capabilities: v.optional(
    v.object({
      bestmove: v.optional(v.boolean('true or false')),
      /** Reference players its arena plays besides models and random: the arena spec ("alphabeta:4"), and a rough rating with random at 0 (the ladder's guess until the run rates it). */
      references: v.optional(
        v.array(v.object({ player: referenceSpec, label: v.optional(text), elo: v.optional(number) }, 'an object {player, label, elo}'), 'a list of reference players {player, label, elo}'),
      ),
      /** Whether it holds a labelled perfect-play position set (the accuracy score). */
      positions: v.optional(v.boolean('true or false')),
    }),
  ),
});
export type GameDeclaration = v.InferOutput<typeof GameDeclarationSchema>;

const GAMES_EVENTS = {
  game: GameDeclarationSchema,
  done: v.object({ event: v.literal('done'), games: count }),
  error: errorEvent,
};
export type GamesEvent = EventsOf<typeof GAMES_EVENTS>;

/**
 * `version` (optional): what the engine is, for the run's record, so that a run can be told apart
 * and made again. `details` are what else decides its behaviour (its commit, its runtime's and
 * libraries' versions), each a name and a text.
 */
export const EngineVersionSchema = v.object({
  event: v.literal('version'),
  name: v.pipe(v.string('a text'), v.nonEmpty('a text that is not empty')),
  version: v.pipe(v.string('a text'), v.nonEmpty('a text that is not empty')),
  details: v.optional(v.record(v.string(), v.string('a text'), 'an object of texts (name: version)')),
});
export type EngineVersion = Omit<v.InferOutput<typeof EngineVersionSchema>, 'event'>;

const VERSION_EVENTS = { version: EngineVersionSchema, error: errorEvent };
export type VersionEvent = EventsOf<typeof VERSION_EVENTS>;

/** bestmove answers each stdin line with a reply, or an error for a line that is not a legal, unfinished position; its lines have no `event`. */
const BestmoveReplySchema = v.object({ position: v.string('a text'), move: v.pipe(v.number('a number'), v.integer('a whole number')), policy: v.array(number, 'a list of numbers'), value: number });
const BestmoveErrorSchema = v.object({ position: v.string('a text'), error: v.string('a text') });

/**
 * board answers each stdin position with what the panel draws: the grid, top row first, one
 * character a cell ("." empty, "x" the first player's piece, "o" the second's, any other character
 * a piece drawn as that character), whose turn it is, the legal moves and the result once it is over.
 */
const BoardReplySchema = v.object({
  position: v.string('a text'),
  board: v.array(v.string('a text'), 'a list of rows, each a text of one character a cell'),
  to_move: v.picklist([1, 2], '1 (the first player) or 2'),
  legal: moveNumbers,
  result: v.nullable(v.picklist(['first', 'second', 'draw'], '"first", "second", "draw" or null')),
});
const BoardErrorSchema = BestmoveErrorSchema;

type EventSchemas = Record<string, v.ObjectSchema<{ event: v.LiteralSchema<string, undefined> } & v.ObjectEntries, undefined>>;
type EventsOf<M extends EventSchemas> = { [K in keyof M]: v.InferOutput<M[K]> }[keyof M];

export type SelfplayEvent = EventsOf<typeof SELFPLAY_EVENTS>;
export type TrainEvent = EventsOf<typeof TRAIN_EVENTS>;
export type ArenaEvent = EventsOf<typeof ARENA_EVENTS>;
export type ArenaResult = Extract<ArenaEvent, { event: 'game' }>['result'];
export type BestmoveReply = v.InferOutput<typeof BestmoveReplySchema>;
export type BestmoveError = v.InferOutput<typeof BestmoveErrorSchema>;
export type BestmoveLine = BestmoveReply | BestmoveError;
export type BoardReply = v.InferOutput<typeof BoardReplySchema>;
export type BoardLine = BoardReply | BestmoveError;

/** The flags the orchestrator sends each subcommand, exactly these and no others. */
export interface SubcommandFlags {
  selfplay: { game: string; model: string; episodes: number; sims: number; 'temp-threshold': number; seed: number; 'actor-id': number; out: string };
  train: { game: string; replay: string[]; init: string; steps: number; 'start-step': number; 'batch-size': number; lr: number; out: string };
  arena: { game: string; a: string; b: string; games: number; sims: number; temperature: number; seed: number };
  bestmove: { game: string; model: string; sims: number };
  games: Record<never, never>;
  board: { game: string };
  version: Record<never, never>;
}

/** What each subcommand prints on stdout, one JSON object per line. */
export interface SubcommandOutput {
  selfplay: SelfplayEvent;
  train: TrainEvent;
  arena: ArenaEvent;
  bestmove: BestmoveLine;
  games: GamesEvent;
  board: BoardLine;
  version: VersionEvent;
}

export type EngineSubcommand = keyof SubcommandFlags;

type FlagList<C extends EngineSubcommand> = readonly (keyof SubcommandFlags[C] & string)[];

/** The protocol flags of each subcommand by name (an engine refuses the others it does not know). */
export const PROTOCOL_FLAGS = {
  selfplay: ['game', 'model', 'episodes', 'sims', 'temp-threshold', 'seed', 'actor-id', 'out'],
  train: ['game', 'replay', 'init', 'steps', 'start-step', 'batch-size', 'lr', 'out'],
  arena: ['game', 'a', 'b', 'games', 'sims', 'temperature', 'seed'],
  bestmove: ['game', 'model', 'sims'],
  games: [],
  board: ['game'],
  version: [],
} as const satisfies { [C in EngineSubcommand]: FlagList<C> };

// Every flag of SubcommandFlags is listed in PROTOCOL_FLAGS (a compile-time check).
type Unlisted = { [C in EngineSubcommand]: Exclude<keyof SubcommandFlags[C], (typeof PROTOCOL_FLAGS)[C][number]> }[EngineSubcommand];
const everyFlagListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyFlagListed;

/** `--b random` in arena: the uniformly random player. `--model none`: no network yet. */
export const RANDOM_PLAYER = 'random';
export const NO_MODEL = 'none';

/**
 * A stdout line that is not what the protocol allows: `not_an_event` for a line that is no
 * protocol object at all (stray output), `malformed` for an event or answer with a missing or bad field.
 */
export class ProtocolLineError extends Error {
  constructor(
    message: string,
    readonly kind: 'not_an_event' | 'malformed',
  ) {
    super(message);
    this.name = 'ProtocolLineError';
  }
}

function parseJsonObject(line: string): Record<string, unknown> | null {
  const text = line.trim();
  if (text === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProtocolLineError(`not JSON: ${text.slice(0, 200)}`, 'not_an_event');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ProtocolLineError(`not a JSON object: ${text.slice(0, 200)}`, 'not_an_event');
  return value as Record<string, unknown>;
}

function eventParser<M extends EventSchemas>(schemas: M): (line: string) => EventsOf<M> | null {
  return (line) => {
    const value = parseJsonObject(line);
    if (value === null) return null;
    if (typeof value.event !== 'string') throw new ProtocolLineError(`not a protocol event (an object with a string "event" field): ${line.trim().slice(0, 200)}`, 'not_an_event');
    // Events of later protocol versions are ignored, not failed.
    if (!Object.hasOwn(schemas, value.event)) return null;
    const result = v.safeParse(schemas[value.event]!, value);
    if (!result.success) throw new ProtocolLineError(describeIssue(`the "${value.event}" event`, result.issues), 'malformed');
    return result.output as EventsOf<M>;
  };
}

/** A parser of a subcommand that answers stdin lines: each line a reply, or `{position, error}`. */
function answerParser<R extends v.GenericSchema, E extends v.GenericSchema>(what: string, reply: R, error: E): (line: string) => v.InferOutput<R> | v.InferOutput<E> | null {
  return (line) => {
    const value = parseJsonObject(line);
    if (value === null) return null;
    const result = v.safeParse('error' in value ? error : reply, value);
    if (!result.success) throw new ProtocolLineError(describeIssue(what, result.issues), 'malformed');
    return result.output;
  };
}

/**
 * Reads one stdout line of a subcommand: its typed event, null for a blank line or an
 * event this protocol does not name, or a ProtocolLineError that names the field and what it must be.
 */
export const PROTOCOL_PARSERS: { [C in EngineSubcommand]: (line: string) => SubcommandOutput[C] | null } = {
  selfplay: eventParser(SELFPLAY_EVENTS),
  train: eventParser(TRAIN_EVENTS),
  arena: eventParser(ARENA_EVENTS),
  bestmove: answerParser('a bestmove answer', BestmoveReplySchema, BestmoveErrorSchema),
  games: eventParser(GAMES_EVENTS),
  board: answerParser('a board answer', BoardReplySchema, BoardErrorSchema),
  version: eventParser(VERSION_EVENTS),
};

/**
 * Perfect-play position sets: fixed, versioned sets of positions per game,
 * each labelled once with the perfect-play value of every legal move
 * (data/positions/<game>-v<N>.json, made by scripts/make-positions.ts). A
 * model's accuracy is the share of positions where its move keeps the
 * game-theoretic value, overall and by stage of the game.
 */
import { GAME_SPECS, type GameId } from './games';
import type { Stage, StageName } from './games/types';

/** The game's position set: its version and stages. Only games with a solver have one. */
export function positionSetOf(game: GameId): { version: number; stages: Stage[] } {
  const set = GAME_SPECS[game].solver?.positionSet;
  if (!set) throw new Error(`${game} has no solver, so no perfect-play position set`);
  return set;
}

export function positionSetName(game: GameId, version: number = positionSetOf(game).version): string {
  return `${game}-v${version}`;
}

export function stageOf(game: GameId, ply: number): StageName {
  const stages = positionSetOf(game).stages;
  return (stages.find((s) => ply >= s.fromPly && ply <= s.toPly) ?? stages[stages.length - 1]!).name;
}

export interface LabelledPosition {
  /** Move-sequence notation. */
  position: string;
  ply: number;
  stage: StageName;
  /** Per action (0-based): the mover's value after it with perfect play (1, 0, -1), null when illegal. */
  values: (-1 | 0 | 1 | null)[];
}

export interface PositionSet {
  set: string;
  game: GameId;
  generator: string;
  stages: Stage[];
  positions: LabelledPosition[];
}

export interface AccuracyScore {
  /** The position set's name and version, e.g. "connect4-v1". */
  set: string;
  positions: number;
  /** Share of positions where the move kept the value. */
  rate: number;
  by_stage: Partial<Record<StageName, { positions: number; rate: number }>>;
  /** Positions where the move lost value. */
  missed: string[];
  /** Positions the previous best model got right and this one got wrong. */
  regressions: string[];
}

/** Whether a move (1-based, as the protocol's bestmove answers) keeps the position's value. */
export function keepsValue(position: LabelledPosition, move: number): boolean {
  const best = Math.max(...position.values.map((v) => v ?? -2));
  return position.values[move - 1] === best;
}

/** Scores moves (1-based; null for a position the engine could not answer) against a set. */
export function scoreAccuracy(set: PositionSet, moves: ReadonlyMap<string, number | null>, previousMissed: readonly string[] | null): AccuracyScore {
  const byStage: AccuracyScore['by_stage'] = {};
  const missed: string[] = [];
  let answered = 0;
  let kept = 0;
  for (const p of set.positions) {
    const move = moves.get(p.position);
    if (move === undefined || move === null) continue;
    answered++;
    const ok = keepsValue(p, move);
    if (ok) kept++;
    else missed.push(p.position);
    byStage[p.stage] ??= { positions: 0, rate: 0 };
    const stage = byStage[p.stage]!;
    stage.positions++;
    stage.rate += ok ? 1 : 0;
  }
  for (const stage of Object.values(byStage)) stage!.rate = stage!.positions ? stage!.rate / stage!.positions : 0;
  const missedSet = new Set(missed);
  const previous = previousMissed ? new Set(previousMissed) : null;
  const regressions = previous ? set.positions.filter((p) => missedSet.has(p.position) && !previous.has(p.position) && moves.get(p.position) != null).map((p) => p.position) : [];
  return { set: set.set, positions: answered, rate: answered ? kept / answered : 0, by_stage: byStage, missed, regressions };
}

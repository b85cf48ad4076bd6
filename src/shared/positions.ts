/**
 * Perfect-play position sets: fixed, versioned sets of positions per game,
 * each labelled once with the perfect-play value of every legal move
 * (data/positions/<game>-v<N>.json, made by scripts/make-positions.ts). A
 * model's accuracy is the share of positions where its move keeps the
 * game-theoretic value, overall and by stage of the game.
 */
import type { GameId } from './games';

export type StageName = 'opening' | 'middle' | 'end';

export interface Stage {
  name: StageName;
  fromPly: number;
  toPly: number;
}

/**
 * Stages by ply. Connect Four's opening starts at ply 8: earlier positions take
 * the JS solver minutes each (ply 4: up to six minutes), so they are not labelled.
 */
export const POSITION_STAGES: Record<GameId, Stage[]> = {
  tictactoe: [
    { name: 'opening', fromPly: 0, toPly: 2 },
    { name: 'middle', fromPly: 3, toPly: 5 },
    { name: 'end', fromPly: 6, toPly: 8 },
  ],
  connect4: [
    { name: 'opening', fromPly: 8, toPly: 14 },
    { name: 'middle', fromPly: 15, toPly: 24 },
    { name: 'end', fromPly: 25, toPly: 40 },
  ],
};

/** The version of each game's set that runs score against. */
export const POSITION_SET_VERSION: Record<GameId, number> = { tictactoe: 1, connect4: 1 };

export function positionSetName(game: GameId, version: number = POSITION_SET_VERSION[game]): string {
  return `${game}-v${version}`;
}

export function stageOf(game: GameId, ply: number): StageName {
  const stages = POSITION_STAGES[game];
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

/**
 * The ladder step's choice of opponents, as lc0 does it: the models 1, 3 and
 * 10 iterations back, and the reference player whose rating is nearest the
 * new model's (from the run's own fit once it has rated that reference, else
 * its nominal rating), on alternate sides of it: the nearest above at odd
 * iterations and below at even ones, where one lies within REACH_ELO, so that
 * a model between two references is placed by both rather than extrapolated
 * from one. Nearest counts from the edge of the reference's 95%
 * interval, so a reference rated from a few early games (a wide interval, its
 * estimate possibly far too low) keeps being played until its rating settles,
 * instead of one settled reference taking every later match (a run's depth-6
 * alpha-beta rated 515 from 20 games, below depth 2's 599 from 4,280, and
 * never played again). The new model is not rated yet when its evaluation
 * starts (all its matches run side by side), so the latest rated model before
 * it stands in. Pure; the evaluation runner plays what it picks.
 */
import type { GameDeclaration } from '../../../shared/protocol';
import { referenceId, modelPlayerId, RANDOM_ID } from '../../../shared/players';
import type { RatingFit } from '../../../shared/ratings';

export const LADDER_STEPS_BACK = [1, 3, 10];
/** A reference this far from the model (from the edge of its interval) still teaches the fit something: about a 9-to-1 score. */
export const REACH_ELO = 400;

export interface LadderChoice {
  /** Model iterations to play. */
  models: number[];
  /** A reference player id ("random", "alphabeta-4"), or null when none is left to play. */
  reference: string | null;
}

export function chooseLadderOpponents(o: {
  game: GameDeclaration;
  iteration: number;
  /** Iterations that have a model. */
  models: ReadonlySet<number>;
  fit: RatingFit;
  /** Players this evaluation already played (the best model, random). */
  played: ReadonlySet<string>;
  /** References the arena command could not play. */
  unsupported: ReadonlySet<string>;
}): LadderChoice {
  const models = LADDER_STEPS_BACK.map((k) => o.iteration - k).filter((i) => o.models.has(i) && !o.played.has(modelPlayerId(i)));
  const ratingOf = (id: string) => o.fit.players.find((p) => p.id === id);
  const nominal: Record<string, number> = { [RANDOM_ID]: 0 };
  // A declared reference without a rating starts from random's until the run rates it.
  for (const { player, elo } of o.game.capabilities?.references ?? []) nominal[referenceId(player)] = elo ?? 0;
  const candidates = Object.keys(nominal).filter((id) => !o.played.has(id) && !o.unsupported.has(id));
  /** How far the reference's interval lies from `elo` (0 inside it), then how far its estimate does: the smaller pair is nearer. */
  const distanceFrom = (elo: number, id: string): [number, number] => {
    const rated = ratingOf(id);
    const [low, point, high] = rated ? [rated.elo_low, rated.elo, rated.elo_high] : [nominal[id]!, nominal[id]!, nominal[id]!];
    return [Math.max(0, low - elo, elo - high), Math.abs(point - elo)];
  };
  let own = 0;
  for (let i = o.iteration; i >= 1; i--) {
    const elo = ratingOf(modelPlayerId(i))?.elo;
    if (elo !== undefined) {
      own = elo;
      break;
    }
  }
  const nearest = (ids: string[]): string | null => {
    let reference: string | null = null;
    let distance: [number, number] = [Infinity, Infinity];
    for (const id of ids) {
      const d = distanceFrom(own, id);
      if (d[0] < distance[0] || (d[0] === distance[0] && d[1] < distance[1])) {
        distance = d;
        reference = id;
      }
    }
    return reference;
  };
  // References on both sides: odd iterations look above the model, even ones below, among those
  // within reach; with none there, the nearest on either side.
  const pointOf = (id: string) => ratingOf(id)?.elo ?? nominal[id]!;
  const lookAbove = o.iteration % 2 === 1;
  const side = candidates.filter((id) => pointOf(id) > own === lookAbove && distanceFrom(own, id)[0] <= REACH_ELO);
  return { models, reference: nearest(side.length ? side : candidates) };
}

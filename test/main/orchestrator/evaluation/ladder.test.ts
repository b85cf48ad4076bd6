import { describe, expect, it } from 'vitest';
import { chooseLadderOpponents } from '../../../../src/main/orchestrator/evaluation/ladder';
import type { PlayerRating, RatingFit } from '../../../../src/shared/ratings';
import { bundledDeclaration } from '../../../../src/shared/games/declaration';

/** A fit with these players' ratings (Elo, 95% interval) and nothing else. */
function fitOf(ratings: Record<string, [number, number, number]>): RatingFit {
  const players: PlayerRating[] = Object.entries(ratings).map(([id, [elo_low, elo, elo_high]]) => ({ id, elo, elo_low, elo_high, sigma: (elo_high - elo_low) / 3.92, games: 20 }));
  return { anchor: 'random', players, disconnected: [], first_move_elo: 0, games: 0, covariance: () => 0 };
}

const choose = (iteration: number, fit: RatingFit, played: string[] = ['random']) =>
  chooseLadderOpponents({ game: bundledDeclaration('connect4'), iteration, models: new Set(Array.from({ length: iteration }, (_, i) => i)), fit, played: new Set(played), unsupported: new Set() });

describe('the ladder', () => {
  it('plays the models 1, 3 and 10 back that this evaluation has not played', () => {
    expect(choose(12, fitOf({}), ['random', 'iter-0009']).models).toEqual([11, 2]);
  });

  it('prefers a reference rated low from a few early games, whose interval reaches near the model, to a settled one', () => {
    // A Connect Four run's fit at iteration 216: depth 4 and 6 rated from 20 games each, depth 2 from 4,280.
    const fit = fitOf({
      random: [0, 0, 0],
      'alphabeta-1': [29, 248, 466],
      'alphabeta-2': [562, 599, 636],
      'alphabeta-4': [319, 504, 690],
      'alphabeta-6': [330, 515, 701],
      'iter-0216': [1000, 1065, 1130],
    });
    // By point estimate depth 2 (599) is nearest and would take every match; by interval depth 6 (up to 701) is.
    expect(choose(217, fit).reference).toBe('alphabeta-6');
    expect(choose(217, fit, ['random', 'alphabeta-6']).reference).toBe('alphabeta-4');
  });

  it('among references whose intervals hold the model, takes the nearest estimate', () => {
    const fit = fitOf({ random: [0, 0, 0], 'alphabeta-2': [500, 650, 800], 'alphabeta-4': [520, 700, 880], 'iter-0004': [640, 690, 740] });
    expect(choose(5, fit).reference).toBe('alphabeta-4');
  });

  it('takes references on both sides of a model in turn: above at odd iterations, below at even ones, within reach', () => {
    const fit = fitOf({ random: [0, 0, 0], 'alphabeta-1': [240, 260, 280], 'alphabeta-2': [560, 580, 600], 'alphabeta-4': [780, 800, 820], 'iter-0010': [420, 450, 480] });
    expect(choose(11, fit).reference).toBe('alphabeta-2');
    expect(choose(12, fit).reference).toBe('alphabeta-1');
    // Past the strongest reference there is nothing above: the nearest below, whatever the iteration.
    const top = fitOf({
      random: [0, 0, 0],
      'alphabeta-1': [240, 260, 280],
      'alphabeta-2': [560, 580, 600],
      'alphabeta-4': [600, 620, 640],
      'alphabeta-6': [640, 665, 690],
      'iter-0010': [990, 1000, 1010],
    });
    expect([choose(11, top).reference, choose(12, top).reference]).toEqual(['alphabeta-6', 'alphabeta-6']);
    // A reference above but out of reach (its interval 430 Elo off) gives way to the nearest below.
    const far = fitOf({
      random: [0, 0, 0],
      'alphabeta-1': [240, 260, 280],
      'alphabeta-2': [880, 900, 920],
      'alphabeta-4': [890, 910, 930],
      'alphabeta-6': [900, 920, 940],
      'iter-0010': [420, 450, 480],
    });
    expect(choose(11, far).reference).toBe('alphabeta-1');
  });

  it('rates references it has not played yet at their nominal rating', () => {
    // Nothing rated: the model counts as 0, and random is played already, so the weakest alpha-beta (nominal 760) is nearest.
    expect(choose(1, fitOf({})).reference).toBe('alphabeta-1');
  });
});

/** A match's result from one side: counts, rates and the score (wins + draws/2) / games. */
import type { MatchResult } from '../../../shared/stats';

export function matchResult(wins: number, draws: number, losses: number): MatchResult {
  const games = wins + draws + losses;
  return {
    wins,
    draws,
    losses,
    games,
    win_rate: games ? wins / games : 0,
    draw_rate: games ? draws / games : 0,
    score: games ? (wins + draws / 2) / games : 0,
  };
}

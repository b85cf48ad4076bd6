/**
 * Whether a run's best model kept up with its candidates: how often the gate
 * replaced it, and which candidates the ratings place significantly below the
 * best model they played. With self-play from the latest model the second is
 * the one that matters: a candidate significantly weaker than the best is a
 * model self-play used although a stronger one existed.
 */
import { modelPlayerId } from './players';
import { ratingDifference, type RatingFit } from './ratings';
import { NOTHING_OMITTED, type Omitted } from './runState';
import type { EvalRecord } from './stats';

export interface CandidateBelowBest {
  iteration: number;
  /** The best model the candidate played. */
  best: number;
  /** The candidate's Elo minus the best's, with the difference's 95% interval (wholly below zero). */
  elo: number;
  high: number;
}

export interface BestProgress {
  /** Candidates evaluated against a best model (a run's first model has none). */
  candidates: number;
  /** Of them, those whose evaluations the window holds (a long run's bounded history, history.ts). */
  held: number;
  /** Candidates the gate promoted over the best. */
  promotions: number;
  /** Candidates per promotion; null before the first. */
  candidatesPerPromotion: number | null;
  /** Candidates the ratings can compare with the best they played (both rated). */
  compared: number;
  below: CandidateBelowBest[];
}

/** `omitted`: what a window's bounded history left out (history.ts), counted in the gate's record; only the held candidates are compared. */
export function bestProgress(evaluations: readonly EvalRecord[], fit: RatingFit, omitted: Pick<Omitted, 'candidates' | 'promotions'> = NOTHING_OMITTED): BestProgress {
  const gated = evaluations.filter((e) => e.vs_champion_iteration !== null);
  const candidates = gated.length + omitted.candidates;
  const promotions = gated.filter((e) => e.promoted).length + omitted.promotions;
  let compared = 0;
  const below: CandidateBelowBest[] = [];
  for (const e of gated) {
    const best = e.vs_champion_iteration!;
    const diff = ratingDifference(fit, modelPlayerId(e.iteration), modelPlayerId(best));
    if (!diff) continue;
    compared++;
    if (diff.significant && diff.elo < 0) below.push({ iteration: e.iteration, best, elo: diff.elo, high: diff.high });
  }
  return { candidates, held: gated.length, promotions, candidatesPerPromotion: promotions > 0 ? candidates / promotions : null, compared, below };
}

/** How many candidates a sentence names before it counts the rest. */
const NAMED_BELOW = 5;

/** The gate's record in one line: how often it promoted, and the candidates rated significantly below the best they played. */
export function bestProgressText(progress: BestProgress): string | null {
  const { candidates, held, promotions, candidatesPerPromotion, compared, below } = progress;
  if (candidates === 0) return null;
  const gate = `${promotions} ${promotions === 1 ? 'promotion' : 'promotions'} over ${candidates} ${candidates === 1 ? 'candidate' : 'candidates'}${candidatesPerPromotion === null ? '' : ` (one every ${candidatesPerPromotion.toFixed(1)})`}.`;
  const unrated =
    compared >= candidates
      ? ''
      : held < candidates
        ? ` (${compared} of ${candidates} compared: those of the ${held} this window holds)`
        : ` (${compared} of ${candidates} compared; the rest are not rated yet)`;
  if (below.length === 0) return `${gate} No candidate is rated significantly below the best model it played${unrated}.`;
  const named = below
    .slice(-NAMED_BELOW)
    .map((b) => `iteration ${b.iteration} (${Math.round(-b.elo)} Elo below ${b.best})`)
    .join(', ');
  const more = below.length > NAMED_BELOW ? `, the last ${NAMED_BELOW} of them` : '';
  const one = below.length === 1;
  return `${gate} ${below.length} of ${compared} ${held < candidates ? 'held ' : ''}${compared === 1 ? 'candidate' : 'candidates'} ${one ? 'is' : 'are'} rated significantly below the best model ${one ? 'it' : 'they'} played${more}: ${named}.`;
}

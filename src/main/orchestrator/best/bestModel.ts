/**
 * The best model's changes as pure functions: a change's audit-trail entry,
 * the gate's verdict, and the change an iteration makes.
 */
import type { BestModelEntry, BestModelInfo, BestReason, EvalRecord, MatchResult } from '../../../shared/stats';

export interface BestChange {
  iteration: number;
  reason: BestReason;
  by: string;
  time: string;
  score?: number | null;
  note?: string;
}

/** A change as the audit trail records it. */
export function bestEntry(change: BestChange): BestModelEntry {
  return { iteration: change.iteration, promoted_at: change.time, reason: change.reason, by: change.by, score: change.score ?? null, note: change.note ?? '' };
}

/** The gate's verdict on a candidate: promoted when its score against the best is above the threshold. */
export function gateVerdict(best: BestModelInfo | null, iteration: number, vsChampion: MatchResult | null, gateThreshold: number): { promoted: boolean; reason: string } {
  if (best === null) return { promoted: true, reason: 'initial model of the run' };
  if (best.iteration === iteration || vsChampion === null) return { promoted: false, reason: 'already the best model' };
  const promoted = vsChampion.score > gateThreshold;
  return { promoted, reason: `score ${vsChampion.score.toFixed(3)} ${promoted ? '>' : '<='} gate ${gateThreshold}` };
}

/** The change an iteration's end makes to the best model: its first model becomes best, a gated promotion, or none. */
export function decideBestChange(best: BestModelInfo | null, iteration: number, record: EvalRecord | null, time: string): BestChange | null {
  if (best === null) return { iteration, reason: 'initial', by: 'orchestrator', time, note: 'first model of the run' };
  if (record?.promoted && record.iteration === iteration) return { iteration, reason: 'gate', by: 'orchestrator', time, score: record.vs_champion?.score ?? null, note: record.promotion_reason };
  return null;
}

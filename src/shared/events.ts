/**
 * RunEvent: what the orchestrator emits, what events.jsonl journals, and what
 * the renderer receives. Transient events (progress, logs) are pushed but not
 * journaled.
 */
import type { Provenance } from './provenance';
import type { BestModelEntry, BestModelInfo, EvalRecord, IterationStats, LossPoint, PhaseName, PhaseProgress, RatedGames, RunError, RunExperiment, RunParent, RunStatus } from './stats';
import type { ConfigChanges } from './config/changes';
import type { LoopConfig } from './config/fields';
import type { MatchState } from './matches';
import type { GameDeclaration } from './protocol';
import type { PortableFit } from './ratingFitter';

export type NoticeKind = 'run.failed' | 'run.stopped' | 'run.completed' | 'best.changed' | 'disk.low' | 'rating.plateau';

/** Something someone away from the panel wants to hear of a run (notices.ts says which events give one). */
export interface Notice {
  kind: NoticeKind;
  run: string;
  time: string;
  /** One line for a person: a mail's subject, a notification's body. */
  message: string;
  /** The iteration it concerns, where it concerns one. */
  iteration: number | null;
}

interface Base {
  run: string;
  /** ISO time the event happened. */
  time: string;
}

export type RunEvent =
  | (Base & { type: 'run.created'; config: LoopConfig; app_version: string; parent?: RunParent; game?: GameDeclaration; provenance?: Provenance; experiment?: RunExperiment })
  | (Base & { type: 'run.state'; status: RunStatus; iteration: number | null; message?: string })
  | (Base & { type: 'iteration.started'; iteration: number; sims: number; selfplay_model: number | null })
  | (Base & { type: 'phase.started'; iteration: number; phase: PhaseName; total: number })
  | (Base & { type: 'phase.progress'; progress: PhaseProgress })
  | (Base & { type: 'phase.completed'; iteration: number; phase: PhaseName; seconds: number })
  | (Base & { type: 'train.progress'; point: LossPoint })
  | (Base & { type: 'iteration.completed'; stats: IterationStats })
  | (Base & { type: 'eval.completed'; record: EvalRecord })
  | (Base & { type: 'games.rated'; games: RatedGames })
  | (Base & { type: 'match.updated'; match: MatchState })
  /** The orchestrator's rating fit after the run's rated games changed, bounded to what windows keep (history.ts). */
  | (Base & { type: 'ratings.fitted'; fit: PortableFit })
  | (Base & { type: 'config.changed'; changes: ConfigChanges; by: string; from_iteration: number })
  | (Base & { type: 'slurm.job'; job_id: string; role: 'holder'; state: 'submitted' | 'running' | 'ended' })
  /**
   * The best model changed: the audit trail's new entry and the model's file. Journals written before
   * 2026-12-07 carry the whole trail as `best` instead (withBestChange reads both).
   */
  | (Base & { type: 'best.changed'; entry: BestModelEntry; model_path: string } & { best?: BestModelInfo })
  /** Files retention deleted after an iteration completed (paths relative to the run folder). */
  | (Base & { type: 'files.deleted'; iteration: number; paths: string[]; bytes: number })
  | (Base & { type: 'log.lines'; iteration: number; process: string; lines: string[] })
  /** Something someone away from the panel wants to hear (notices.ts): pushed, run through notifyCommand, shown as a desktop notification. */
  | (Base & { type: 'notice'; notice: Notice })
  | (Base & { type: 'run.error'; error: RunError });

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as the orchestrator's parts emit it: the run's name and the time are stamped on when it is journaled. */
export type UnstampedEvent = DistributiveOmit<RunEvent, 'run' | 'time'>;

export type RunEventType = RunEvent['type'];
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/** Events written to events.jsonl; the others are only pushed to listeners. */
export const JOURNALED_EVENTS: ReadonlySet<RunEventType> = new Set<RunEventType>([
  'run.created',
  'run.state',
  'iteration.started',
  'phase.started',
  'phase.completed',
  'train.progress',
  'iteration.completed',
  'eval.completed',
  'games.rated',
  'config.changed',
  'slurm.job',
  'best.changed',
  'files.deleted',
  'run.error',
]);

export function isJournaled(event: RunEvent): boolean {
  return JOURNALED_EVENTS.has(event.type);
}

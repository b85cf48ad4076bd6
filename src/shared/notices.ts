/**
 * Notices: what someone away from the panel wants to hear of a run (notifyCommand, desktop
 * notifications). They follow from the run's events and state, so every surface says the same.
 */
import type { Notice, NoticeKind, RunEvent } from './events';
import { formatBytes } from './format';
import type { RunState } from './runState';

export type { Notice, NoticeKind };

/** Iterations without a new best model after which the rating is said to be on a plateau. */
export const PLATEAU_ITERATIONS = 30;
/** The disk is said to be low when it would fill within this many hours of iteration time. */
export const DISK_LOW_HOURS = 24;

/** The notice an event gives, if any, with the run's state after it. */
export function noticeOf(event: RunEvent, state: RunState): Notice | null {
  const notice = (kind: NoticeKind, message: string, iteration: number | null = null): Notice => ({ kind, run: event.run, time: event.time, message, iteration });
  switch (event.type) {
    case 'run.state':
      if (event.status === 'failed')
        return notice('run.failed', `run "${event.run}" failed in iteration ${event.iteration}: ${state.error?.message.split('\n')[0] ?? event.message ?? ''}`, event.iteration);
      if (event.status === 'completed') return notice('run.completed', `run "${event.run}" completed: ${event.message ?? ''}`);
      if (event.status === 'stopped') return notice('run.stopped', `run "${event.run}" stopped: ${event.message ?? ''}`);
      return null;
    case 'best.changed': {
      const entry = event.best ?? event.entry;
      if (entry.reason === 'initial') return null;
      return notice('best.changed', `run "${event.run}": iteration ${entry.iteration} is the best model (${entry.reason} by ${entry.by}${entry.note ? `: ${entry.note}` : ''})`, entry.iteration);
    }
    case 'iteration.completed': {
      const since = state.best ? event.stats.iteration - state.best.iteration : 0;
      if (since === PLATEAU_ITERATIONS)
        return notice(
          'rating.plateau',
          `run "${event.run}": no new best model for ${PLATEAU_ITERATIONS} iterations (the best is still iteration ${state.best!.iteration}): the rating is on a plateau`,
          event.stats.iteration,
        );
      return null;
    }
    default:
      return null;
  }
}

/** The disk notice, when the disk holding the run would fill within DISK_LOW_HOURS at its pace. */
export function diskNotice(run: string, time: string, iteration: number, freeBytes: number, hoursLeft: number | null): Notice | null {
  if (hoursLeft === null || hoursLeft >= DISK_LOW_HOURS) return null;
  return { kind: 'disk.low', run, time, iteration, message: `run "${run}": ${formatBytes(freeBytes)} free on its disk, full in about ${Math.round(hoursLeft)} h at this pace` };
}

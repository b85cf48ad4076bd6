/**
 * A crash on purpose, for the crash-point tests (test/main/orchestrator/crashPoints.test.ts):
 * with LOOPDECK_KILL_AFTER="<event type>[:<phase>]#<n>" in the environment ("best.changed#2",
 * "phase.completed:train#1"), this process SIGKILLs itself as soon as the journal has the nth
 * such event on disk. Without the variable it does nothing.
 */
import type { RunEvent } from '../../../shared/events';

const spec = /^([a-z.]+)(?::([a-z]+))?#(\d+)$/.exec(process.env.LOOPDECK_KILL_AFTER ?? '');
let seen = 0;

/** The crash point's key of an event: its type, and its phase for phase events. */
export const crashPointKey = (event: RunEvent) => (event.type === 'phase.started' || event.type === 'phase.completed' ? `${event.type}:${event.phase}` : event.type);

export function afterJournaled(events: readonly RunEvent[]): void {
  if (!spec) return;
  const key = spec[2] ? `${spec[1]}:${spec[2]}` : spec[1];
  for (const event of events) if (crashPointKey(event) === key && ++seen === Number(spec[3])) process.kill(process.pid, 'SIGKILL');
}

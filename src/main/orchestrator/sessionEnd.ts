/** How a session of a run ends that did not complete: stopped (resumable) or failed, as the journal says it. */
import type { UnstampedEvent } from '../../shared/events';
import { ProcessFailedError } from './process/processFailedError';
import { isDiskFull } from './state/diskSpace';

export type RunOutcome = 'completed' | 'stopped';

export class RunFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunFailedError';
  }
}

/**
 * Journals the end of a session that `error` broke off, with the iterations it left unfinished:
 * a stop (the signal was aborted) resolves to "stopped"; anything else is journaled as run.error
 * with the failed process's exit code and log tail, and thrown as a RunFailedError.
 */
export async function journalSessionEnd(run: string, error: unknown, signal: AbortSignal, unfinished: number[], emit: (event: UnstampedEvent) => Promise<void>): Promise<'stopped'> {
  const during = unfinished.length > 1 ? `iterations ${unfinished.join(' and ')}` : `iteration ${unfinished[0]}`;
  const redo = unfinished.length > 1 ? 'they will be redone from their starts' : 'it will be redone from its start';
  if (signal.aborted) {
    await emit({ type: 'run.state', status: 'stopped', iteration: null, message: `stopped during ${during}; ${redo} on resume` });
    return 'stopped';
  }
  // A full disk is a pause: the journal and projections are whole (every write is atomic), and the run resumes once there is room.
  if (isDiskFull(error)) {
    const why =
      error instanceof Error && error.name === 'DiskFullError'
        ? error.message
        : `the disk filled up (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); free some space, then resume`;
    await emit({ type: 'run.state', status: 'stopped', iteration: null, message: `stopped during ${during}: ${why}; ${redo}` }).catch(() => {});
    return 'stopped';
  }
  const failure = error instanceof ProcessFailedError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  await emit({ type: 'run.error', error: { message, ...(failure ? { process: failure.processName, exit_code: failure.exitCode, log_tail: failure.logTail } : {}) } });
  await emit({ type: 'run.state', status: 'failed', iteration: unfinished[0]!, message: `failed in iteration ${unfinished[0]}` });
  throw new RunFailedError(`run "${run}" failed in iteration ${unfinished[0]}: ${message}`, { cause: error });
}

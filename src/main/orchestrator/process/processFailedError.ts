/** The one error type for a protocol process that did not succeed. */
import { joinCommandLine } from '../../../shared/commandLine';

export interface ProcessFailure {
  processName: string;
  argv: string[];
  reason: string;
  exitCode: number | null;
  signal: string | null;
  stalled: boolean;
  cancelled: boolean;
  logTail: string[];
  cause?: unknown;
}

export class ProcessFailedError extends Error {
  readonly processName: string;
  readonly argv: string[];
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stalled: boolean;
  readonly cancelled: boolean;
  readonly logTail: string[];

  constructor(f: ProcessFailure) {
    const tail = f.logTail.length ? `\nlast log lines of ${f.processName}:\n  ${f.logTail.join('\n  ')}` : `\n${f.processName} logged nothing`;
    super(`${f.processName} failed: ${f.reason}\ncommand: ${joinCommandLine(f.argv)}${tail}`, { cause: f.cause });
    this.name = 'ProcessFailedError';
    this.processName = f.processName;
    this.argv = f.argv;
    this.exitCode = f.exitCode;
    this.signal = f.signal;
    this.stalled = f.stalled;
    this.cancelled = f.cancelled;
    this.logTail = f.logTail;
  }

  /** A process that exited 0 without doing what it was asked (no model written, episodes missing). */
  static unfinished(processName: string, argv: string[], reason: string): ProcessFailedError {
    return new ProcessFailedError({ processName, argv, reason, exitCode: 0, signal: null, stalled: false, cancelled: false, logTail: [] });
  }
}

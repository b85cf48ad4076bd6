/**
 * Notices of a run (src/shared/notices.ts) for those away from the panel: pushed to listeners as
 * `notice` events (the app shows them as desktop notifications), and handed to notifyCommand, run
 * once per notice with the notice as JSON on stdin. A command that fails is said in the run's log,
 * never a failure of the run; commands run one at a time, and close() waits for them.
 */
import { execa } from 'execa';
import { joinCommandLine } from '../../shared/commandLine';
import { diskUsage } from '../../shared/diskUsage';
import type { Notice, RunEvent } from '../../shared/events';
import { diskNotice, noticeOf } from '../../shared/notices';
import type { RunState } from '../../shared/runState';
import { freeBytes } from './state/diskSpace';

/** How long a notify command may take before it is killed. */
const COMMAND_TIMEOUT_MS = 60_000;

export interface NotifierHost {
  /** The notify command in force (settings may change it), or null. */
  command(): string[] | null;
  /** The run folder, for the disk's free space. */
  root: string;
  /** Pushes the notice to listeners. */
  push(notice: Notice): void;
  log(message: string): void;
}

export class Notifier {
  private commands: Promise<void> = Promise.resolve();
  /** Whether the last disk check found the disk low (so it is said once, not every iteration). */
  private diskLow = false;

  constructor(private readonly host: NotifierHost) {}

  /** After each journaled event: its notice, if it gives one; after an iteration, the disk's. */
  afterEvent(event: RunEvent, state: RunState): void {
    const notice = noticeOf(event, state);
    if (notice) this.send(notice);
    if (event.type === 'iteration.completed') this.commands = this.commands.then(() => this.checkDisk(event.run, event.time, event.stats.iteration, state));
  }

  private async checkDisk(run: string, time: string, iteration: number, state: RunState): Promise<void> {
    const free = await freeBytes(this.host.root).catch(() => null);
    if (free === null) return;
    const notice = diskNotice(run, time, iteration, free, diskUsage(state, 0, free).hours_left);
    if (notice && !this.diskLow) this.send(notice);
    this.diskLow = notice !== null;
  }

  private send(notice: Notice): void {
    this.host.push(notice);
    const command = this.host.command();
    if (!command) return;
    this.commands = this.commands.then(async () => {
      const [program, ...args] = command;
      const result = await execa(program!, args, { input: `${JSON.stringify(notice)}\n`, timeout: COMMAND_TIMEOUT_MS, reject: false, stdout: 'ignore', stderr: 'pipe' });
      if (result.exitCode !== 0)
        this.host.log(
          `notifyCommand (${joinCommandLine(command)}) failed for a ${notice.kind} notice: ${result.timedOut ? `no answer in ${COMMAND_TIMEOUT_MS / 1000} s` : `exit ${result.exitCode ?? result.signal}`}${result.stderr ? `: ${String(result.stderr).trim().split('\n').at(-1)}` : ''}`,
        );
    });
  }

  /** Resolves when every notice so far has been handed to the command. */
  async close(): Promise<void> {
    await this.commands;
  }
}

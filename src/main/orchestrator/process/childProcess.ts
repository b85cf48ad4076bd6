/**
 * Runs one protocol process: `<command> <subcommand> <flags>`, JSON lines on
 * stdout, human logs on stderr (to its log file and to batched log events).
 * Its stdin stays open: the engine exits when it closes, which is how the
 * children of a SIGKILLed orchestrator die. A process silent for longer than
 * the stall timeout is killed; a stop (AbortSignal) sends SIGTERM, then
 * SIGKILL after the grace period.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { joinCommandLine } from '../../../shared/commandLine';
import { PROTOCOL_PARSERS, ProtocolLineError, type EngineSubcommand, type SubcommandFlags, type SubcommandOutput } from '../../../shared/protocol';
import { engineEnv } from './engineCommands';
import type { ProcessLaunch } from './executor';
import { LogBatcher } from './logBatcher';
import { ProcessFailedError } from './processFailedError';

export type Flags = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface ProtocolProcessOptions<C extends EngineSubcommand> {
  /** "actor-1", "trainer", "arena": names the process in logs and errors. */
  name: string;
  command: readonly string[];
  subcommand: C;
  flags: SubcommandFlags[C];
  logFile: string;
  stallTimeoutMs: number;
  graceMs?: number;
  signal?: AbortSignal;
  env?: Record<string, string>;
  /** Written to the process's stdin, which is then closed (bestmove reads its positions there). */
  input?: string;
  /** How the command line is launched (an executor's wrapping: a Slurm job step); default: as it is. */
  launch?(argv: string[]): ProcessLaunch;
  /** Each stdout line the subcommand's protocol parser accepts; a throw fails the process as a protocol error. */
  onEvent(event: SubcommandOutput[C]): void;
  onLogLines?(lines: string[]): void;
  onSpawn?(pid: number): void;
  onExit?(seconds: number): void;
}

export interface ProtocolProcessResult {
  seconds: number;
  /** The whole command line that ran, for errors about what it did. */
  argv: string[];
}

/** Lines of stdout that are not protocol events tolerated (and logged) before the process is failed. */
const MAX_GARBAGE_LINES = 20;
const LOG_TAIL_LINES = 20;

export function flagsToArgs(flags: Flags): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const flag = `--${key}`;
    if (Array.isArray(value)) args.push(flag, ...(value as string[]));
    else args.push(flag, String(value));
  }
  return args;
}

export async function runProtocolProcess<C extends EngineSubcommand>(options: ProtocolProcessOptions<C>): Promise<ProtocolProcessResult> {
  const [program, ...baseArgs] = options.command;
  if (!program) throw new Error(`${options.name}: the command is empty`);
  const command = [program, ...baseArgs, options.subcommand, ...flagsToArgs(options.flags)];
  const parse = PROTOCOL_PARSERS[options.subcommand] as (line: string) => SubcommandOutput[C] | null;
  const launch = options.launch?.(command) ?? { argv: command, killSignal: 'SIGTERM' as const, stallFromFirstStdout: false };
  const { argv } = launch;
  await mkdir(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const tail: string[] = [];
  const batcher = new LogBatcher((lines) => options.onLogLines?.(lines));
  const logLine = (line: string) => {
    log.write(`${line}\n`);
    tail.push(line);
    if (tail.length > LOG_TAIL_LINES) tail.shift();
    batcher.push(line);
  };
  logLine(`[loopdeck] ${new Date().toISOString()} start: ${joinCommandLine(argv)}`);

  const started = performance.now();
  const child = execa(argv[0]!, argv.slice(1), {
    stdin: 'pipe',
    buffer: false,
    reject: false,
    cleanup: true,
    env: { ...options.env, ...engineEnv() },
    cancelSignal: options.signal,
    killSignal: launch.killSignal,
    forceKillAfterDelay: options.graceMs ?? 5000,
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  if (options.input !== undefined) {
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input);
  }

  let stalled = false;
  let protocolError: string | null = null;
  let garbage = 0;
  let stallTimer: NodeJS.Timeout | undefined;
  const kill = () => child.kill(launch.killSignal);
  // A queued job step prints only to stderr until it runs: its stall timer starts at its first stdout line.
  let stallArmed = !launch.stallFromFirstStdout;
  const armStall = () => {
    if (!stallArmed) return;
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      stalled = true;
      logLine(`[loopdeck] no output for ${options.stallTimeoutMs / 1000} s: killing ${options.name} as hung`);
      kill();
    }, options.stallTimeoutMs);
  };
  armStall();
  const failProtocol = (why: string) => {
    if (protocolError !== null) return;
    protocolError = why;
    logLine(`[loopdeck] ${why}`);
    kill();
  };
  const firstStdout = () => {
    if (stallArmed) return;
    stallArmed = true;
    armStall();
  };

  const stdoutDone = new Promise<void>((resolve) => {
    if (!child.stdout) return resolve();
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
      firstStdout();
      armStall();
      let event: SubcommandOutput[C] | null;
      try {
        event = parse(line);
      } catch (error) {
        if (!(error instanceof ProtocolLineError) || error.kind === 'malformed') {
          // A protocol event with a missing or malformed field: the engine and the orchestrator disagree.
          failProtocol(`sent an event the orchestrator cannot use: ${(error as Error).message}`);
          return;
        }
        garbage++;
        logLine(`[loopdeck] stdout line is not a protocol event: ${error.message}`);
        if (garbage > MAX_GARBAGE_LINES)
          failProtocol(`printed more than ${MAX_GARBAGE_LINES} stdout lines that are not protocol events (JSON objects with an "event" field); human logs belong on stderr`);
        return;
      }
      if (event === null || protocolError !== null) return;
      if ('event' in event && event.event === 'error') logLine(`[loopdeck] ${options.name} reported an error: ${event.message}`);
      try {
        options.onEvent(event);
      } catch (error) {
        failProtocol(`sent an event the orchestrator cannot use: ${(error as Error).message}`);
      }
    });
    lines.on('close', resolve);
  });
  const stderrDone = new Promise<void>((resolve) => {
    if (!child.stderr) return resolve();
    const lines = createInterface({ input: child.stderr, crlfDelay: Infinity });
    lines.on('line', (line) => {
      armStall();
      logLine(line);
    });
    lines.on('close', resolve);
  });

  const result = await child;
  await Promise.all([stdoutDone, stderrDone]);
  clearTimeout(stallTimer);
  const seconds = (performance.now() - started) / 1000;
  options.onExit?.(seconds);
  const cancelled = Boolean(result.isCanceled) || Boolean(options.signal?.aborted);
  const ok = result.exitCode === 0 && !stalled && protocolError === null && !cancelled;
  logLine(`[loopdeck] ${new Date().toISOString()} exit: ${result.exitCode ?? result.signal} after ${seconds.toFixed(1)} s`);
  batcher.flush();
  await new Promise<void>((resolve) => log.end(resolve));
  if (ok) return { seconds, argv };

  const reason = cancelled
    ? 'stopped by the user'
    : stalled
      ? `hung: no output for ${options.stallTimeoutMs / 1000} s (stallTimeout), killed`
      : protocolError
        ? protocolError
        : result.exitCode === undefined || result.exitCode === null
          ? result.signal
            ? `killed by ${result.signal}`
            : `could not start: ${result.originalMessage || result.shortMessage}`
          : `exited with code ${result.exitCode}`;
  throw new ProcessFailedError({
    processName: options.name,
    argv,
    reason,
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    stalled,
    cancelled,
    logTail: tail.filter((l) => !l.startsWith('[loopdeck]') || l.includes('not a protocol')).slice(-LOG_TAIL_LINES),
    cause: result.cause,
  });
}

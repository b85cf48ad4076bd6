/**
 * Requests to a run that another process drives: promote, revert, stop and a
 * change of settings. Only the lock holder writes a run's journal, so another
 * process (a second `loopdeck` command, a GUI) drops a request file into
 * `requests/`; the driving orchestrator carries it out itself (a promote waits
 * for a running arena, settings apply from its next iteration) and writes the
 * answer beside it.
 *   requests/<id>.request.json  {action, iteration?, changes?, by, time}
 *   requests/<id>.answer.json   {ok: true, result} | {ok: false, error: {code, message}}
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError, type ApiErrorBody } from '../../../shared/api';
import { writeJsonAtomic } from '../state/atomicFile';
import { lockHolder } from '../state/runLock';

export type RunRequestAction = 'promote' | 'revert' | 'stop' | 'configure';

export interface RunRequest {
  action: RunRequestAction;
  /** promote: the iteration that becomes best. */
  iteration?: number;
  /** configure: the settings to change. */
  changes?: Record<string, unknown>;
  by: string;
  time: string;
}

type RunAnswer = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

const ACTIONS: readonly RunRequestAction[] = ['promote', 'revert', 'stop', 'configure'];

const REQUEST = '.request.json';
/** How long a request waits for the driving process: it answers after a running evaluation ends. */
export const REQUEST_DEADLINE_MS = 120_000;
const ANSWER = '.answer.json';

export type RequestHandler = (request: RunRequest) => Promise<unknown>;

/** The driving side: polls the folder while the run is driven here. */
export class RunRequestInbox {
  private timer: NodeJS.Timeout | null = null;
  private working: Promise<void> = Promise.resolve();

  /** `onError` hears of a request that could not be answered (say, a full disk); polling goes on. */
  constructor(
    private readonly dir: string,
    private readonly handle: RequestHandler,
    private readonly onError: (message: string) => void,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.working = this.working.then(() => this.poll());
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops polling; resolves once a request being carried out has its answer. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.working;
  }

  private async poll(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith(REQUEST)).sort()) {
      const id = name.slice(0, -REQUEST.length);
      const requestPath = join(this.dir, name);
      // The requester may have given up and removed it.
      const text = await readFile(requestPath, 'utf8').catch(() => null);
      if (text === null) continue;
      let answer: RunAnswer;
      try {
        const request = parseRequest(text);
        answer = { ok: true, result: await this.handle(request) };
      } catch (error) {
        answer = { ok: false, error: ApiError.fromUnknown(error).toBody() };
      }
      try {
        await writeJsonAtomic(join(this.dir, id + ANSWER), answer);
      } catch (error) {
        this.onError(`could not answer request ${id} (${answer.ok ? 'carried out' : 'refused'}): ${(error as Error).message}`);
      }
      // Removed even without an answer: carrying a request out twice (a second revert) is worse than a requester that waits.
      await rm(requestPath, { force: true }).catch(() => {});
    }
  }
}

function parseRequest(text: string): RunRequest {
  let value: Partial<RunRequest>;
  try {
    value = JSON.parse(text) as Partial<RunRequest>;
  } catch {
    throw new ApiError({ code: 'bad_request', message: 'a request file must hold JSON' });
  }
  if (!ACTIONS.includes(value.action as RunRequestAction))
    throw new ApiError({ code: 'bad_request', message: `request action must be one of ${ACTIONS.join(', ')} (got ${String(value.action).slice(0, 40)})` });
  if (value.action === 'promote' && !Number.isInteger(value.iteration)) throw new ApiError({ code: 'bad_request', message: 'a promote request needs a whole-number iteration' });
  if (value.action === 'configure' && (!value.changes || typeof value.changes !== 'object')) throw new ApiError({ code: 'bad_request', message: 'a configure request needs its changes' });
  return { action: value.action as RunRequestAction, iteration: value.iteration, changes: value.changes, by: String(value.by ?? 'unknown'), time: String(value.time ?? '') };
}

/**
 * The requesting side: hands the request to the process holding the run lock
 * and waits for its answer. Resolves to null if the run stops being driven
 * (the lock is released or its holder dies) before an answer comes; the
 * caller may then carry the request out itself.
 */
export async function sendRunRequest<T>(dir: string, lockPath: string, request: RunRequest, pollMs = 100, deadlineMs = REQUEST_DEADLINE_MS): Promise<T | null> {
  const deadline = Date.now() + deadlineMs;
  await mkdir(dir, { recursive: true });
  const id = `${Date.now()}-${randomUUID()}`;
  const requestPath = join(dir, id + REQUEST);
  const answerPath = join(dir, id + ANSWER);
  const readAnswer = async (): Promise<RunAnswer | null> => {
    const text = await readFile(answerPath, 'utf8').catch(() => null);
    if (text === null) return null;
    await rm(answerPath, { force: true });
    return JSON.parse(text) as RunAnswer;
  };
  await writeJsonAtomic(requestPath, request);
  try {
    for (;;) {
      // Read the answer once more after the holder is gone: it may have answered just before leaving.
      const driven = (await lockHolder(lockPath)) !== null;
      const answer = await readAnswer();
      if (answer) {
        if (answer.ok) return answer.result as T;
        throw new ApiError(answer.error);
      }
      if (!driven) return null;
      if (Date.now() > deadline)
        throw new ApiError({
          code: 'conflict',
          message: `the process driving the run did not answer within ${Math.round(deadlineMs / 1000)} s (a long evaluation, or it is stuck); the request was withdrawn, try again`,
        });
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await rm(requestPath, { force: true });
  }
}

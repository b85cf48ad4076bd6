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
import * as v from 'valibot';
import { ApiError, type ApiErrorBody } from '../../shared/api';
import type { LoopConfigInput } from '../../shared/config/fields';
import { describeIssue } from '../../shared/schemaIssues';
import type { BestModelKeeper } from './best/bestModelKeeper';
import type { SettingsChanges } from './settingsChanges';
import { writeJsonAtomic } from '../../node/atomicWrite';
import { lockHolder } from './state/runLock';

const int = v.pipe(v.number('a number'), v.integer('a whole number'));
const who = { by: v.optional(v.string('a text'), 'unknown'), time: v.optional(v.string('a text'), '') };
const RunRequestSchema = v.variant(
  'action',
  [
    /** promote: `iteration` becomes the best model, if the best is still `seen_best` (what the user saw). */
    v.object({ action: v.literal('promote'), iteration: int, seen_best: v.nullable(int), ...who }),
    v.object({ action: v.literal('revert'), seen_best: v.nullable(int), ...who }),
    v.object({ action: v.literal('stop'), ...who }),
    /** configure: the settings to change. */
    v.object({ action: v.literal('configure'), changes: v.record(v.string(), v.unknown(), 'an object of settings'), ...who }),
  ],
  'one of promote, revert, stop, configure',
);

export type RunRequest = v.InferOutput<typeof RunRequestSchema>;

/** What a request can ask of the run this process drives. */
export interface RequestTarget {
  best: Pick<BestModelKeeper, 'promote' | 'revert'>;
  settings: Pick<SettingsChanges, 'change'>;
  /** Starts a graceful stop and answers at once (children get SIGTERM, then the run ends). */
  requestStop(): unknown;
}

/** Carries a request out on the run driven here. */
export async function carryOut(target: RequestTarget, request: RunRequest): Promise<unknown> {
  switch (request.action) {
    case 'promote':
      return target.best.promote(request.iteration, request.by, request.seen_best);
    case 'revert':
      return target.best.revert(request.by, request.seen_best);
    case 'configure':
      return target.settings.change(request.changes as LoopConfigInput, request.by);
    case 'stop':
      return target.requestStop();
  }
}

type RunAnswer = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError({ code: 'bad_request', message: 'a request file must hold JSON' });
  }
  const result = v.safeParse(RunRequestSchema, value);
  if (!result.success) throw new ApiError({ code: 'bad_request', message: describeIssue('a request', result.issues) });
  return result.output;
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

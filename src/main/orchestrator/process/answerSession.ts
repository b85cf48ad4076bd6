/**
 * Engine processes that answer stdin lines (the protocol's `bestmove` and `board`): one long-lived
 * process per command line, so an answer costs the work, not a process start. Lines go in on
 * stdin, one answer comes back per line, in order. Idle processes end after a while; all of them
 * end with close() and, through the lifeline, with this process.
 */
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { ApiError } from '../../../shared/api';
import { engineEnv } from './engineCommands';

const IDLE_MS = 120_000;
const ANSWER_TIMEOUT_MS = 60_000;
const MAX_SESSIONS = 4;

/** Reads one answer line: the reply, `{position, error}` for a line the engine refused, null for a blank line; throws for a line the protocol does not allow. */
export type AnswerParser<R> = (line: string) => R | { position: string; error: string } | null;

interface Waiter<R> {
  resolve(reply: R): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

class AnswerSession<R> {
  private readonly child: ResultPromise;
  private readonly waiting: Waiter<R>[] = [];
  private readonly stderr: string[] = [];
  private idle: NodeJS.Timeout | null = null;
  exited = false;

  constructor(
    argv: readonly string[],
    private readonly parse: AnswerParser<R>,
    private readonly what: string,
    private readonly onExit: () => void,
  ) {
    const [program, ...args] = argv;
    this.child = execa(program!, args, { stdin: 'pipe', buffer: false, reject: false, cleanup: true, env: engineEnv() });
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.answer(line));
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > 10) this.stderr.shift();
    });
    this.child.stdin!.on('error', () => {});
    void this.child.then((result) => {
      this.exited = true;
      const why = `the ${what} process exited (${result.exitCode ?? result.signal}): ${this.stderr.slice(-3).join(' | ') || 'no message'}`;
      for (const w of this.waiting.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new ApiError({ code: 'internal', message: why }));
      }
      if (this.idle) clearTimeout(this.idle);
      this.onExit();
    });
    this.touch();
  }

  private touch(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.close(), IDLE_MS);
    this.idle.unref();
  }

  private answer(line: string): void {
    const waiter = this.waiting.shift();
    if (!waiter) return;
    clearTimeout(waiter.timer);
    let answer: ReturnType<AnswerParser<R>>;
    try {
      answer = this.parse(line);
    } catch (error) {
      waiter.reject(new ApiError({ code: 'internal', message: `${this.what} answered what the protocol does not allow: ${(error as Error).message}` }));
      return;
    }
    if (answer === null) waiter.reject(new ApiError({ code: 'internal', message: `${this.what} answered an empty line` }));
    else if (typeof answer === 'object' && 'error' in answer) waiter.reject(new ApiError({ code: 'bad_request', message: answer.error }));
    else waiter.resolve(answer);
  }

  ask(line: string): Promise<R> {
    if (this.exited) return Promise.reject(new ApiError({ code: 'internal', message: `the ${this.what} process has ended; try again` }));
    this.touch();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiting.findIndex((w) => w.timer === timer);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new ApiError({ code: 'internal', message: `${this.what} did not answer within ${ANSWER_TIMEOUT_MS / 1000} s` }));
        this.close();
      }, ANSWER_TIMEOUT_MS);
      this.waiting.push({ resolve, reject, timer });
      this.child.stdin!.write(`${line}\n`);
    });
  }

  close(): Promise<void> {
    if (!this.exited) this.child.stdin!.end();
    return this.child.then(() => {});
  }
}

/** At most a few sessions, one per command line; the oldest ends when another is needed. */
export class AnswerSessionPool<R> {
  private readonly sessions = new Map<string, AnswerSession<R>>();

  constructor(
    private readonly parse: AnswerParser<R>,
    /** What the answers are, for messages: "the model's bestmove". */
    private readonly what: string,
  ) {}

  ask(argv: readonly string[], line: string): Promise<R> {
    if (/[\r\n]/.test(line)) return Promise.reject(new ApiError({ code: 'bad_request', message: 'a position is one line of move-sequence notation' }));
    const key = JSON.stringify(argv);
    let session = this.sessions.get(key);
    if (!session || session.exited) {
      if (this.sessions.size >= MAX_SESSIONS) {
        const [oldest, old] = this.sessions.entries().next().value!;
        this.sessions.delete(oldest);
        void old.close();
      }
      const fresh: AnswerSession<R> = new AnswerSession(argv, this.parse, this.what, () => {
        if (this.sessions.get(key) === fresh) this.sessions.delete(key);
      });
      session = fresh;
      this.sessions.set(key, session);
    }
    return session.ask(line);
  }

  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.close()));
  }
}

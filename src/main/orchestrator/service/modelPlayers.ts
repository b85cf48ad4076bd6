/**
 * Models that answer moves on demand (the panel's Play): one long-lived
 * `bestmove` process per model and simulation count, so a move costs a
 * search, not a process start. Positions go in on stdin, one per line, and
 * the answers come back in order. Idle processes end after a while; all of
 * them end with close() and, through the lifeline, with this process.
 */
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { ApiError } from '../../../shared/api';
import { PROTOCOL_PARSERS, type BestmoveLine, type BestmoveReply } from '../../../shared/protocol';
import { engineEnv } from '../process/engineCommands';

const IDLE_MS = 120_000;
const MOVE_TIMEOUT_MS = 60_000;
const MAX_SESSIONS = 4;

interface Waiter {
  position: string;
  resolve(reply: BestmoveReply): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

class BestmoveSession {
  private readonly child: ResultPromise;
  private readonly waiting: Waiter[] = [];
  private readonly stderr: string[] = [];
  private idle: NodeJS.Timeout | null = null;
  exited = false;

  constructor(
    argv: string[],
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
      const why = `the model's bestmove process exited (${result.exitCode ?? result.signal}): ${this.stderr.slice(-3).join(' | ') || 'no message'}`;
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
    let answer: BestmoveLine | null;
    try {
      answer = PROTOCOL_PARSERS.bestmove(line);
    } catch (error) {
      waiter.reject(new ApiError({ code: 'internal', message: `bestmove answered what the protocol does not allow: ${(error as Error).message}` }));
      return;
    }
    if (answer === null) waiter.reject(new ApiError({ code: 'internal', message: 'bestmove answered an empty line' }));
    else if ('error' in answer) waiter.reject(new ApiError({ code: 'bad_request', message: answer.error }));
    else waiter.resolve({ ...answer, position: waiter.position });
  }

  ask(position: string): Promise<BestmoveReply> {
    if (this.exited) return Promise.reject(new ApiError({ code: 'internal', message: 'the model process has ended; try again' }));
    this.touch();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiting.findIndex((w) => w.timer === timer);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new ApiError({ code: 'internal', message: `the model did not answer within ${MOVE_TIMEOUT_MS / 1000} s` }));
        this.close();
      }, MOVE_TIMEOUT_MS);
      this.waiting.push({ position, resolve, reject, timer });
      this.child.stdin!.write(`${position}\n`);
    });
  }

  close(): Promise<void> {
    if (!this.exited) this.child.stdin!.end();
    return this.child.then(() => {});
  }
}

export class ModelPlayerPool {
  private readonly sessions = new Map<string, BestmoveSession>();

  bestMove(o: { command: string[]; game: string; model: string; sims: number; position: string }): Promise<BestmoveReply> {
    if (/[\r\n]/.test(o.position)) return Promise.reject(new ApiError({ code: 'bad_request', message: 'a position is one line of move-sequence notation' }));
    const key = JSON.stringify([o.command, o.game, o.model, o.sims]);
    let session = this.sessions.get(key);
    if (!session || session.exited) {
      if (this.sessions.size >= MAX_SESSIONS) {
        const [oldest, old] = this.sessions.entries().next().value!;
        this.sessions.delete(oldest);
        void old.close();
      }
      session = new BestmoveSession([...o.command, 'bestmove', '--game', o.game, '--model', o.model, '--sims', String(o.sims)], () => {
        if (this.sessions.get(key) === session) this.sessions.delete(key);
      });
      this.sessions.set(key, session);
    }
    return session.ask(o.position);
  }

  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.close()));
  }
}

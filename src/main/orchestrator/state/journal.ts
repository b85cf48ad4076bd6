/**
 * events.jsonl: the append-only journal of RunEvents, the run's source of
 * truth. Each append is fsync'd before it is acknowledged.
 */
import { open, readFile } from 'node:fs/promises';
import type { RunEvent } from '../../../shared/events';
import { afterJournaled } from './crashPoint';

export class JournalCorruptError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    detail: string,
  ) {
    super(
      `${path}: line ${line} is corrupt (${detail}). The run will not resume until this is resolved: "loopdeck repair <run>" shows it and, with --yes, cuts the journal back to its last good line (keeping a backup). Nothing has been overwritten.`,
    );
    this.name = 'JournalCorruptError';
  }
}

export interface JournalContents {
  events: RunEvent[];
  /** A final line cut short by a crash (never acknowledged, so it is dropped). */
  tornTail: string | null;
  /** The final event parsed but its newline was lost: the next append must not join it. */
  missingNewline: boolean;
  /** Bytes of the journal up to the end of its last good line. */
  goodBytes: number;
}

export async function readJournal(path: string): Promise<JournalContents> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], tornTail: null, missingNewline: false, goodBytes: 0 };
    throw error;
  }
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const events: RunEvent[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    events.push(parseJournalLine(path, line, index + 1));
  });
  let tornTail: string | null = null;
  let missingNewline = false;
  const total = Buffer.byteLength(text);
  if (last.trim() !== '') {
    // No trailing newline: the write was interrupted. If it parses, the
    // newline alone was lost; keep the event.
    try {
      events.push(parseJournalLine(path, last, lines.length + 1));
      missingNewline = true;
    } catch {
      tornTail = last;
    }
  }
  return { events, tornTail, missingNewline, goodBytes: tornTail === null ? total : total - Buffer.byteLength(last) };
}

function parseJournalLine(path: string, line: string, lineNumber: number): RunEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new JournalCorruptError(path, lineNumber, `not JSON: ${(error as Error).message}`);
  }
  if (!value || typeof value !== 'object' || typeof (value as { type?: unknown }).type !== 'string') throw new JournalCorruptError(path, lineNumber, 'not an event object with a "type"');
  return value as RunEvent;
}

export class JournalWriter {
  private queue: Promise<void> = Promise.resolve();
  constructor(readonly path: string) {}

  /** Appends events in order; resolves once they are on disk. */
  append(...events: RunEvent[]): Promise<void> {
    const text = events.map((e) => `${JSON.stringify(e)}\n`).join('');
    const write = this.queue.then(async () => {
      const handle = await open(this.path, 'a');
      try {
        // writeFile, not write: it goes on after a short write, and fails with ENOSPC on a full disk.
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      afterJournaled(events);
    });
    this.queue = write.catch(() => {});
    return write;
  }

  /**
   * Mends the end of the journal in place: a torn final line is cut off by
   * truncating the file to its good lines (nothing before it is rewritten),
   * and a final event that lost its newline gets it back.
   */
  static async repairTail(path: string, contents: JournalContents): Promise<void> {
    if (contents.tornTail === null && !contents.missingNewline) return;
    const handle = await open(path, 'r+');
    try {
      if (contents.tornTail !== null) await handle.truncate(contents.goodBytes);
      else await handle.write('\n', contents.goodBytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/**
 * `loopdeck repair`: a journal with a corrupt line (a disk fault, a hand edit)
 * is shown, and only on the user's word cut back to its last good line, with
 * a backup of the whole file kept beside it; the projections are then rebuilt.
 */
import { copyFile, open, readFile } from 'node:fs/promises';
import { JournalCorruptError, readJournal } from './journal';
import { acquireRunLock } from './runLock';
import type { RunPaths } from './runPaths';
import { StatsManager } from '../statsManager';

export interface JournalDiagnosis {
  /** null when the journal reads cleanly. */
  corrupt: { line: number; detail: string; context: { line: number; text: string }[]; linesAfter: number } | null;
}

const CONTEXT = 2;

export async function diagnoseJournal(paths: RunPaths): Promise<JournalDiagnosis> {
  try {
    await readJournal(paths.events);
    return { corrupt: null };
  } catch (error) {
    if (!(error instanceof JournalCorruptError)) throw error;
    const lines = (await readFile(paths.events, 'utf8')).split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const from = Math.max(1, error.line - CONTEXT);
    const to = Math.min(lines.length, error.line + CONTEXT);
    const context = [];
    for (let n = from; n <= to; n++) context.push({ line: n, text: lines[n - 1]!.length > 300 ? `${lines[n - 1]!.slice(0, 300)}…` : lines[n - 1]! });
    return { corrupt: { line: error.line, detail: error.message.replace(/^.*is corrupt \(/, '').replace(/\)\. The run will not resume.*$/s, ''), context, linesAfter: lines.length - error.line } };
  }
}

/**
 * Keeps a backup, cuts the journal before its first corrupt line and rebuilds
 * the projections, under the run lock. Returns the backup's path and what was rebuilt.
 */
export async function cutJournal(paths: RunPaths, line: number): Promise<{ backup: string; repairs: string[] }> {
  const lock = await acquireRunLock(paths.lock);
  try {
    const text = await readFile(paths.events, 'utf8');
    const backup = `${paths.events}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
    await copyFile(paths.events, backup);
    const keep = text
      .split('\n')
      .slice(0, line - 1)
      .join('\n');
    const handle = await open(paths.events, 'r+');
    try {
      await handle.truncate(Buffer.byteLength(keep) + (keep ? 1 : 0));
      await handle.sync();
    } finally {
      await handle.close();
    }
    const stats = await StatsManager.open(paths);
    await stats.close();
    return { backup, repairs: stats.repairs };
  } finally {
    await lock.release();
  }
}

/**
 * Game records on disk: games/iter-NNNN/<file>.jsonl.gz, one record per line,
 * gzipped (a quarter of the size: the searches' numbers repeat), each file
 * written whole and atomically when its process ends; files of earlier
 * versions, plain .jsonl, read as well. The API names a file by its .jsonl
 * name either way. Reading names and skips a line that is not a record, so one
 * bad line never hides a file.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { ApiError } from '../../../shared/api';
import { recordProblem, type GameKind, type GameRecord, type GamesChunk, type GamesFile } from '../../../shared/gameRecords';
import { positionText } from '../../../shared/games/notation';
import type { BoardLine, GameDeclaration } from '../../../shared/protocol';
import { writeFileAtomic } from '../../../node/atomicWrite';
import type { RunPaths } from './runPaths';

const FILE_NAME = /^[a-z0-9][a-z0-9._-]{0,99}\.jsonl$/;
/** Listing order: the evaluation's games first, self-play last. */
const KINDS: GameKind[] = ['gate', 'random', 'ladder', 'match', 'selfplay'];

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const GZ = '.gz';

export function kindOfFile(file: string): GameKind {
  return KINDS.find((k) => file.startsWith(k)) ?? 'match';
}

/** Writes an iteration's records file; returns its path relative to the run folder. */
export async function writeGameRecords(paths: RunPaths, iteration: number, file: string, records: readonly GameRecord[]): Promise<string> {
  const dir = paths.gamesDir(iteration);
  await mkdir(dir, { recursive: true });
  const path = join(dir, file);
  await writeFileAtomic(path + GZ, await gzipAsync(records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '')));
  return relative(paths.root, path);
}

/** A records file's text, gzipped or plain; null when there is none. */
async function readRecordsText(dir: string, file: string): Promise<string | null> {
  const zipped = await readFile(join(dir, file + GZ)).catch(() => null);
  if (zipped) return (await gunzipAsync(zipped)).toString('utf8');
  return readFile(join(dir, file), 'utf8').catch(() => null);
}

export async function listGameFiles(paths: RunPaths, iteration: number): Promise<GamesFile[]> {
  const dir = paths.gamesDir(iteration);
  if (!existsSync(dir)) return [];
  const names = new Set((await readdir(dir)).map((f) => (f.endsWith(GZ) ? f.slice(0, -GZ.length) : f)));
  const files = [...names].filter((f) => FILE_NAME.test(f)).sort((a, b) => KINDS.indexOf(kindOfFile(a)) - KINDS.indexOf(kindOfFile(b)) || a.localeCompare(b));
  return Promise.all(
    files.map(async (file) => {
      const text = (await readRecordsText(dir, file)) ?? '';
      return { file, kind: kindOfFile(file), games: text.split('\n').filter((l) => l.trim()).length };
    }),
  );
}

/**
 * An iteration's records of one file. Each is checked against the game's declaration, then its last
 * position against the engine (`judge`, the protocol's board): a record whose moves the engine
 * refuses, or whose result it contradicts, is named and skipped like a line that is no record.
 */
export async function readGameRecords(paths: RunPaths, game: GameDeclaration, iteration: number, file: string, judge: (positions: string[]) => Promise<BoardLine[]>): Promise<GamesChunk> {
  if (!FILE_NAME.test(file)) throw new ApiError({ code: 'bad_request', message: `not a games file name: ${JSON.stringify(file).slice(0, 80)}` });
  const text = await readRecordsText(paths.gamesDir(iteration), file);
  if (text === null) throw new ApiError({ code: 'not_found', message: `iteration ${iteration} has no games file ${file}` });
  const read: { line: number; record: GameRecord }[] = [];
  const skipped: GamesChunk['skipped'] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped.push({ line: i + 1, error: 'not JSON' });
      return;
    }
    const problem = recordProblem(value, game);
    if (problem) skipped.push({ line: i + 1, error: problem });
    else read.push({ line: i + 1, record: value as GameRecord });
  });
  const finals = await judge(read.map(({ record }) => positionText(game, record.moves)));
  const records: GameRecord[] = [];
  read.forEach(({ line, record }, i) => {
    const final = finals[i]!;
    if ('error' in final) skipped.push({ line, error: `the engine refuses its moves: ${final.error}` });
    else if (final.result !== null && final.result !== record.result) skipped.push({ line, error: `its result is "${record.result}", but the engine says the game ends "${final.result}"` });
    else records.push(record);
  });
  skipped.sort((a, b) => a.line - b.line);
  return { iteration, file, records, skipped };
}

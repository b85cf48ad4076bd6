/**
 * loopdeck-engine board --game G
 * Reads positions in move-sequence notation on stdin, one per line, and prints one JSON line each:
 * {position, board, to_move, legal, result} (docs/protocol.md, board), what the panel draws; a bad
 * line gets {position, error} and the rest go on.
 */
import { createInterface } from 'node:readline';
import { boardAnswer } from '../../shared/boards';
import { gameSpec } from '../../shared/games';
import { Flags } from '../flags';
import { emitter } from '../io';

export async function run(argv: string[]): Promise<number> {
  const answer = emitter('board');
  const spec = gameSpec(Flags.of('board', argv).string('game'));
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) answer(boardAnswer(spec, line.trim()));
  return 0;
}

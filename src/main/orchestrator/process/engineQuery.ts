/**
 * One-shot questions to an engine command (`games`, `version`): run `<command> <subcommand>` with
 * stdin closed and a time limit, and read its protocol lines. The callers decide what an answer
 * must hold; this says what came back and, for a refusal, how the process ended.
 */
import { execa } from 'execa';
import { PROTOCOL_PARSERS, type SubcommandOutput } from '../../../shared/protocol';
import { engineEnv } from './engineCommands';

type Question = 'games' | 'version';

export interface EngineAnswer<C extends Question> {
  /** Whether it exited 0 in time. */
  ok: boolean;
  /** The protocol events it printed, in order. */
  events: SubcommandOutput[C][];
  /** The lines it printed that the protocol could not read, each with why. */
  problems: string[];
  /** How it ended when not ok: "exit 2", "no answer in 30 s". */
  ending: string;
  /** Its last line on stderr, if any. */
  lastLog: string;
}

export async function askEngine<C extends Question>(command: readonly string[], subcommand: C, timeoutMs: number): Promise<EngineAnswer<C>> {
  const [program, ...args] = command;
  const result = await execa(program!, [...args, subcommand], { reject: false, timeout: timeoutMs, env: engineEnv(), stdin: 'ignore' });
  const events: SubcommandOutput[C][] = [];
  const problems: string[] = [];
  const parse = PROTOCOL_PARSERS[subcommand] as (line: string) => SubcommandOutput[C] | null;
  for (const line of String(result.stdout ?? '').split('\n')) {
    try {
      const event = parse(line);
      if (event) events.push(event);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return {
    ok: result.exitCode === 0 && !result.timedOut,
    events,
    problems,
    ending: result.timedOut ? `no answer in ${timeoutMs / 1000} s` : `exit ${result.exitCode ?? result.signal}`,
    lastLog:
      String(result.stderr ?? '')
        .trim()
        .split('\n')
        .at(-1) ?? '',
  };
}

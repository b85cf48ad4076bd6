import type { EngineSubcommand, SubcommandOutput } from '../shared/protocol';

/** Protocol output of a subcommand: one JSON object per stdout line, of the types the orchestrator reads; human logs on stderr. */
export function emitter<C extends EngineSubcommand>(_command: C): (output: SubcommandOutput[C]) => void {
  return (output) => process.stdout.write(`${JSON.stringify(output)}\n`);
}

export function logger(command: string): (line: string) => void {
  return (line) => process.stderr.write(`[${command}] ${line}\n`);
}

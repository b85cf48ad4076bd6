/** Protocol output: one JSON object per stdout line; human logs on stderr. */
export function emit(event: Record<string, unknown> & { event: string }): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

export function logger(command: string): (line: string) => void {
  return (line) => process.stderr.write(`[${command}] ${line}\n`);
}

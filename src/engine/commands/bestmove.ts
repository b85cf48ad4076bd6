// Placeholder until the engine's bestmove is built (issue 3).
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('loopdeck-engine bestmove: not built yet\n');
  return 1;
}

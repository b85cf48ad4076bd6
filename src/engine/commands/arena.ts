// Placeholder until the engine's arena is built (issue 3).
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('loopdeck-engine arena: not built yet\n');
  return 1;
}

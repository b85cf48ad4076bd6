// Placeholder until the engine's selfplay is built (issue 3).
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('loopdeck-engine selfplay: not built yet\n');
  return 1;
}

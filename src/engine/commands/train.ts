// Placeholder until the engine's train is built (issue 3).
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('loopdeck-engine train: not built yet\n');
  return 1;
}

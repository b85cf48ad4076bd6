/**
 * npm run bench: every benchmark in turn, each printing its own figures.
 * Pass --quick for short versions where a bench has one.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { cpus } from 'node:os';

const BENCHES = ['orchestrator', 'ratings', 'longRun', 'engine', 'pythonKit', 'renderer', 'slurm'];

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString()}`);
let ok = true;
for (const name of BENCHES) {
  const file = resolve(import.meta.dirname, `${name}.ts`);
  if (!existsSync(file)) continue;
  console.log(`\n== ${name}`);
  const bench = (await import(file)) as { main(args: string[]): Promise<boolean> };
  ok = (await bench.main(process.argv.slice(2))) && ok;
}
process.exit(ok ? 0 : 1);

/**
 * A worker thread on a TypeScript module of src/. Run from the sources (the CLI under tsx, the
 * tests under vitest), the worker registers tsx before it imports the module, since a worker does
 * not inherit the loader of the thread that starts it; in the built app the module is a build
 * entry of its own, `<name>.js` beside the main bundle (electron.vite.config.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const here = dirname(fileURLToPath(import.meta.url));

/** tsx's ES-module registration entry, from its package's exports (its CommonJS one fails in an eval worker). */
function tsxRegisterUrl(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const entry = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  return pathToFileURL(join(dirname(manifest), entry)).href;
}

/** `source`: the module's path relative to src/ ("main/orchestrator/evaluation/ratingFitThread.ts"); `built`: its entry's name. */
export function startModuleWorker(source: string, built: string): Worker {
  const sourcePath = join(here, '..', source);
  if (existsSync(sourcePath)) {
    const code = `import(${JSON.stringify(tsxRegisterUrl())}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(sourcePath).href)}); });`;
    return new Worker(code, { eval: true });
  }
  return new Worker(join(here, `${built}.js`));
}

/**
 * Which Loopdeck this is: its package folder, version and git state, and the versions of the
 * packages it runs on. The orchestrator records them with each run and the bundled engine answers
 * them to `version`, so one place reads them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

let packageRoot: string | null = null;

/** The folder of Loopdeck's package.json, found by walking up from this module. */
export function findPackageRoot(): string {
  if (packageRoot) return packageRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'loopdeck') {
      packageRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the loopdeck package root (package.json named "loopdeck") above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function appVersion(): string {
  try {
    return JSON.parse(readFileSync(join(findPackageRoot(), 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** The commit of Loopdeck's checkout and whether tracked files differ from it; nulls outside a checkout. */
export async function gitState(root = findPackageRoot()): Promise<{ commit: string | null; dirty: boolean | null }> {
  if (!existsSync(join(root, '.git'))) return { commit: null, dirty: null };
  const git = (args: string[]) => execa('git', args, { cwd: root, reject: false, timeout: 10_000 });
  const [head, status] = await Promise.all([git(['rev-parse', 'HEAD']), git(['status', '--porcelain', '--untracked-files=no'])]);
  if (head.exitCode !== 0) return { commit: null, dirty: null };
  return { commit: String(head.stdout).trim(), dirty: status.exitCode === 0 ? String(status.stdout).trim() !== '' : null };
}

/** The installed version of a package Loopdeck depends on, or null. */
export function packageVersion(name: string, root = findPackageRoot()): string | null {
  try {
    return JSON.parse(readFileSync(createRequire(join(root, 'package.json')).resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    return null;
  }
}

/**
 * An engine process must not outlive the orchestrator that spawned it, even
 * when the orchestrator is SIGKILLed (no chance to clean up). We watch two
 * things: our stdin closing (the parent's end of the pipe goes away with it)
 * and our parent pid changing (re-parented to init).
 *
 * The lifeline is opt-in: the orchestrator sets LOOPDECK_LIFELINE=1 for its
 * children. A command started by hand, by cron or by a scheduler (stdin from
 * /dev/null) just does its work. An engine started by `sbatch` without a pipe
 * can instead watch a lease file (LOOPDECK_LEASE_FILE) that its launcher
 * keeps touching: it exits when the file is older than LOOPDECK_LEASE_SECONDS.
 */
import { statSync } from 'node:fs';

export const LIFELINE_ENV = 'LOOPDECK_LIFELINE';
export const LEASE_FILE_ENV = 'LOOPDECK_LEASE_FILE';
export const LEASE_SECONDS_ENV = 'LOOPDECK_LEASE_SECONDS';

/** Exits when the lease file named in the environment goes stale (or disappears). */
export function watchLease(env: NodeJS.ProcessEnv = process.env, intervalMs = 1000): boolean {
  const file = env[LEASE_FILE_ENV];
  if (!file) return false;
  const seconds = Number(env[LEASE_SECONDS_ENV] ?? 30);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`${LEASE_SECONDS_ENV} must be a number of seconds (got "${env[LEASE_SECONDS_ENV]}")`);
  const timer = setInterval(() => {
    let age: number;
    try {
      age = (Date.now() - statSync(file).mtimeMs) / 1000;
    } catch {
      exitOrphaned(`lease file ${file} is gone`);
    }
    if (age > seconds) exitOrphaned(`lease file ${file} not renewed for ${Math.round(age)} s`);
  }, intervalMs);
  timer.unref();
  return true;
}

export function lifelineRequested(): boolean {
  return process.env[LIFELINE_ENV] === '1';
}

/** `stdin: false` for a command whose stdin is its input (bestmove): then only the parent pid is watched. */
export function watchParent(options: { stdin: boolean }, intervalMs = 1000): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) exitOrphaned('parent process is gone');
  }, intervalMs);
  timer.unref();
  if (options.stdin && !process.stdin.isTTY) {
    process.stdin.on('end', () => exitOrphaned('stdin closed'));
    process.stdin.on('error', () => exitOrphaned('stdin failed'));
    process.stdin.resume();
    // stdin must not keep the process alive once the work is done.
    (process.stdin as unknown as { unref?: () => void }).unref?.();
  }
}

function exitOrphaned(why: string): never {
  process.stderr.write(`loopdeck-engine: exiting, ${why}\n`);
  process.exit(129);
}

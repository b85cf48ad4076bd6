/**
 * An engine process must not outlive the orchestrator that spawned it, even
 * when the orchestrator is SIGKILLed (no chance to clean up). We watch two
 * things: our stdin closing (the parent's end of the pipe goes away with it)
 * and our parent pid changing (re-parented to init).
 *
 * The lifeline is opt-in: the orchestrator sets LOOPDECK_LIFELINE=1 for its
 * children. A command started by hand, by cron or by a scheduler (stdin from
 * /dev/null) just does its work.
 */
export const LIFELINE_ENV = 'LOOPDECK_LIFELINE';

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

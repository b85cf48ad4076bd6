/**
 * An engine process must not outlive the orchestrator that spawned it, even
 * when the orchestrator is SIGKILLed (no chance to clean up). We watch two
 * things: our stdin closing (the parent's end of the pipe goes away with it)
 * and our parent pid changing (re-parented to init).
 */
export function watchParent(intervalMs = 1000): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) exitOrphaned('parent process is gone');
  }, intervalMs);
  timer.unref();
  if (!process.stdin.isTTY) {
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

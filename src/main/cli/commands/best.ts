/** `loopdeck promote` and `loopdeck revert`: change the best model by hand, in the process that drives the run if one does. */
import type { BestModelInfo } from '../../../shared/stats';
import { RunManager } from '../../orchestrator/service/runManager';
import { EXIT_OK, UsageError } from '../exitCodes';

export async function bestCommand(name: string, iteration: string | null, options: { runsDir: string }): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'cli' });
  let best: BestModelInfo;
  if (iteration === null) {
    best = await manager.revert(name);
  } else {
    const n = Number(iteration);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`<iteration> must be a whole number from 1 (got "${iteration}")`);
    best = await manager.promote(name, n);
  }
  process.stdout.write(`best model of "${name}" is now iteration ${best.iteration} (${best.reason} by ${best.by} at ${best.promoted_at})\n`);
  return EXIT_OK;
}

/**
 * `loopdeck promote` and `loopdeck revert`: change the best model by hand, in the process that
 * drives the run if one does. The change is bound to the best model the user knows of:
 * `--if-best N` (as `loopdeck status` showed it), else the one this command reads when it
 * starts. If the best has changed by the time the change is carried out, nothing changes.
 */
import type { BestModelInfo } from '../../../shared/stats';
import { RunManager } from '../../orchestrator/service/runManager';
import { EXIT_OK, UsageError } from '../exitCodes';

function wholeNumber(text: string, what: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${what} must be a whole number from ${min} (got "${text}")`);
  return n;
}

export async function bestCommand(name: string, iteration: string | null, options: { runsDir: string; ifBest?: string }): Promise<number> {
  const manager = new RunManager({ runsDir: options.runsDir, surface: 'cli' });
  const seen = options.ifBest !== undefined ? (options.ifBest === 'none' ? null : wholeNumber(options.ifBest, '--if-best', 0)) : ((await manager.getRun(name)).state.best?.iteration ?? null);
  let best: BestModelInfo;
  if (iteration === null) best = await manager.revert(name, seen);
  else best = await manager.promote(name, wholeNumber(iteration, '<iteration>', 1), seen);
  process.stdout.write(`best model of "${name}" is now iteration ${best.iteration}, was ${seen === null ? 'none' : `iteration ${seen}`} (${best.reason} by ${best.by} at ${best.promoted_at})\n`);
  return EXIT_OK;
}

/** `loopdeck scale <name> <run> <run>...`: one rating scale across runs (experiments/crossRunScale.ts). */
import { playScale, ScaleError, scaleText } from '../../orchestrator/experiments/crossRunScale';
import { UsageError } from '../exitCodes';

export async function scaleCommand(name: string, runs: string[], options: { runsDir: string; games?: string; sims?: string; json?: boolean }): Promise<number> {
  const games = Number(options.games ?? 20);
  if (!Number.isInteger(games) || games < 2 || games > 10_000) throw new UsageError(`--games must be a whole number from 2 to 10000 (got ${options.games})`);
  const sims = options.sims === undefined ? undefined : Number(options.sims);
  if (sims !== undefined && (!Number.isInteger(sims) || sims < 1)) throw new UsageError(`--sims must be a whole number of at least 1 (got ${options.sims})`);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    const report = await playScale(options.runsDir, name, runs, { games, sims, signal: controller.signal, say: (line) => !options.json && process.stdout.write(`${line}\n`) });
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${scaleText(report)}\n`);
    return controller.signal.aborted ? 130 : 0;
  } catch (error) {
    if (error instanceof ScaleError) throw new UsageError(error.message);
    throw error;
  } finally {
    process.off('SIGINT', stop);
  }
}

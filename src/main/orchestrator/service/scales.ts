/**
 * Scales a server plays in the background (loopdeck scale, from the panel): one at a time per name;
 * the panel polls getScale for the fit of the games played so far.
 */
import { ApiError } from '../../../shared/api';
import type { ScaleReport, ScaleState } from '../../../shared/experiments/scale';
import { isRunName, RUN_NAME_RULE } from '../../../shared/runName';
import { playScale, readScale, recordScale, ScaleError, scaleVersion } from '../experiments/crossRunScale';

export class Scales {
  private readonly playing = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly errors = new Map<string, string>();
  /** The last report of each scale, with the version of the files it was read from. */
  private readonly reports = new Map<string, { version: string; report: ScaleReport }>();

  constructor(private readonly runsDir: string) {}

  async start(name: string, runs: string[], games: number): Promise<ScaleState> {
    if (!isRunName(name)) throw new ApiError({ code: 'bad_request', message: `a scale's name must be ${RUN_NAME_RULE} (got ${JSON.stringify(name)?.slice(0, 80)})` });
    if (!Number.isInteger(games) || games < 2 || games > 10_000) throw new ApiError({ code: 'bad_request', message: `games per match must be a whole number from 2 to 10000 (got ${games})` });
    if (this.playing.has(name)) throw new ApiError({ code: 'conflict', message: `scale "${name}" is already being played` });
    try {
      await recordScale(this.runsDir, name, runs, games);
    } catch (error) {
      // Runs of two games, a run without a best model, a run that does not exist: refused before anything plays.
      if (error instanceof ScaleError) throw new ApiError({ code: 'invalid_config', message: error.message });
      throw error;
    }
    const controller = new AbortController();
    this.errors.delete(name);
    const done = playScale(this.runsDir, name, runs, { games, signal: controller.signal, say: () => {} })
      .then(
        () => {},
        (error: Error) => void this.errors.set(name, error.message),
      )
      .finally(() => this.playing.delete(name));
    this.playing.set(name, { controller, done });
    return this.get(name);
  }

  async get(name: string): Promise<ScaleState> {
    const version = await scaleVersion(this.runsDir, name);
    if (version === null) throw new ApiError({ code: 'not_found', message: `no scale named "${name}" in this runs folder` });
    let report = this.reports.get(name)?.version === version ? this.reports.get(name)!.report : null;
    if (!report) {
      try {
        report = (await readScale(this.runsDir, name))!;
      } catch (error) {
        if (error instanceof ScaleError) throw new ApiError({ code: 'conflict', message: error.message });
        throw error;
      }
      this.reports.set(name, { version, report });
    }
    return { report, running: this.playing.has(name), error: this.errors.get(name) ?? null };
  }

  /** Stops every scale being played; resolves when their arenas have stopped. */
  async close(): Promise<void> {
    for (const { controller } of this.playing.values()) controller.abort();
    await Promise.all([...this.playing.values()].map((p) => p.done));
  }
}

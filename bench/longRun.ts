/**
 * A run that lasts for days: a synthetic journal of 20,000 Connect Four iterations, written as the
 * orchestrator journals them (self-play, 8 loss points, an evaluation with its rated matches, a
 * promotion every sixth iteration), then read back as a resume reads it.
 *   npx tsx bench/longRun.ts [--iterations N]
 * Targets (#27): resume (read and fold the journal) under 5 s; the rating fit under 1 s; the
 * snapshot a window receives under 2 MB.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitRunRatings } from '../src/shared/runRatings';
import { foldRunEvents } from '../src/shared/runState';
import type { RatedGames } from '../src/shared/stats';
import { readJournal } from '../src/main/orchestrator/state/journal';
import { projectionsOf } from '../src/main/orchestrator/state/projections';
import { RatingFits } from '../src/main/orchestrator/evaluation/ratingFits';

/** The fit as the orchestrator makes it, in its worker: from nothing (a resume), then with one more match (each evaluation), and how long the event loop stalled during each. */
async function workerFit(rated: readonly RatedGames[]): Promise<{ cold: number; warm: number; coldStallMs: number; stallMs: number }> {
  const ratings = new RatingFits();
  let last = performance.now();
  let stallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  const t0 = performance.now();
  await ratings.fit(rated);
  const cold = (performance.now() - t0) / 1000;
  const coldStallMs = stallMs;
  stallMs = 0;
  last = performance.now();
  const t1 = performance.now();
  await ratings.fit([...rated, rated[rated.length - 1]!]);
  const warm = (performance.now() - t1) / 1000;
  clearInterval(ticker);
  await ratings.close();
  return { cold, warm, coldStallMs, stallMs };
}
import { RunPaths } from '../src/main/orchestrator/state/runPaths';
import { RunManager } from '../src/main/orchestrator/service/runManager';
import { syntheticJournal } from '../test/fixtures/longRunJournal';
import { median } from './median';

/** A window opened over a slow link gets a long run's snapshot in a second or two. */
const SNAPSHOT_TARGET_MB = 2;

export async function main(args: string[] = process.argv.slice(2)): Promise<boolean> {
  const at = args.indexOf('--iterations');
  const iterations = at >= 0 ? Number(args[at + 1]) : 20_000;
  const dir = await mkdtemp(join(tmpdir(), 'loopdeck-long-'));
  const paths = new RunPaths(dir, 'long');
  try {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(paths.root, { recursive: true });
    await writeFile(paths.events, syntheticJournal(iterations));
    const bytes = (await stat(paths.events)).size;
    const resumes: number[] = [];
    let state = foldRunEvents('long', []);
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      state = foldRunEvents('long', (await readJournal(paths.events)).events);
      resumes.push((performance.now() - t) / 1000);
    }
    const fits: number[] = [];
    let fitted = fitRunRatings(state.rated);
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      fitted = fitRunRatings([...state.rated]);
      fits.push((performance.now() - t) / 1000);
    }
    const inWorker = await workerFit(state.rated);
    const t = performance.now();
    const projections = projectionsOf(state, paths, fitted);
    const projectionSeconds = (performance.now() - t) / 1000;
    const projectionBytes = projections.reduce((sum, p) => sum + JSON.stringify(p.content).length, 0);
    // What a window receives when it opens the run: through the API, as the panel asks for it.
    const manager = new RunManager({ runsDir: dir, surface: 'gui' });
    const wholeBytes = JSON.stringify(state).length;
    const t2 = performance.now();
    const snapshot = await manager.getRun('long');
    const snapshotSeconds = (performance.now() - t2) / 1000;
    const snapshotBytes = JSON.stringify(snapshot).length;
    // The runs list, as the panel polls it: the first call folds the closed run's journal, the next ones reuse its summary.
    const listed: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t3 = performance.now();
      await manager.listRuns();
      listed.push((performance.now() - t3) / 1000);
    }
    await manager.shutdown();
    const resume = median(resumes);
    const fit = median(fits);
    console.log(
      `long run: ${iterations.toLocaleString('en')} iterations, journal ${(bytes / 1e6).toFixed(0)} MB (${(bytes / iterations / 1000).toFixed(1)} kB an iteration), ${state.rated.length.toLocaleString('en')} rated matches`,
    );
    console.log(`  resume (read and fold the journal): median ${resume.toFixed(2)} s of 3 (target < 5 s) ${resume < 5 ? 'PASS' : 'FAIL'}`);
    console.log(
      `  rating fit in the orchestrator's worker thread: ${inWorker.cold.toFixed(2)} s from nothing (the event loop's longest stall meanwhile ${inWorker.coldStallMs.toFixed(0)} ms, sending every match), ${inWorker.warm.toFixed(2)} s after one more match (longest stall ${inWorker.stallMs.toFixed(0)} ms)`,
    );
    console.log(`  rating fit: median ${fit.toFixed(2)} s of 3 (target < 1 s) ${fit < 1 ? 'PASS' : 'FAIL'}`);
    console.log(`  projections: ${projectionSeconds.toFixed(2)} s to compute, ${(projectionBytes / 1e6).toFixed(1)} MB of JSON`);
    const snapshotMB = snapshotBytes / 1e6;
    console.log(
      `  snapshot a window receives: ${snapshotMB.toFixed(2)} MB (target < ${SNAPSHOT_TARGET_MB} MB; the whole state is ${(wholeBytes / 1e6).toFixed(0)} MB), ${snapshot.state.iterations.length} of ${snapshot.summary.iterations_done.toLocaleString('en')} iterations and ${snapshot.ratings?.players.length ?? 0} rated players, in ${snapshotSeconds.toFixed(2)} s ${snapshotMB < SNAPSHOT_TARGET_MB ? 'PASS' : 'FAIL'}`,
    );
    console.log(`  listing the runs: ${listed[0]!.toFixed(2)} s the first time (folding the journal), then ${(median(listed.slice(1)) * 1000).toFixed(1)} ms while the journal stays the same`);
    return resume < 5 && fit < 1 && snapshotMB < SNAPSHOT_TARGET_MB;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main().then((ok) => process.exit(ok ? 0 : 1));

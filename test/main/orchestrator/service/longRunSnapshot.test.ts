import { mkdir, writeFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { RunManager } from '../../../../src/main/orchestrator/service/runManager';
import { RunPaths } from '../../../../src/main/orchestrator/state/runPaths';
import { keptIterations } from '../../../../src/shared/history';
import { keeps } from '../../../../src/shared/keptIterations';
import { parsePlayerId } from '../../../../src/shared/players';
import { fromPortable } from '../../../../src/shared/ratingFitter';
import { ratingOf } from '../../../../src/shared/ratings';
import { fitRunRatings } from '../../../../src/shared/runRatings';
import { syntheticJournal } from '../../../fixtures/longRunJournal';
import { withTempDirPerTest } from '../helpers';

let dir = '';
withTempDirPerTest((d) => (dir = d));

it("a long run's snapshot is bounded: kept iterations, the orchestrator's fit of their models, and the whole run's progress", async () => {
  const paths = new RunPaths(dir, 'long');
  await mkdir(paths.root, { recursive: true });
  await writeFile(paths.events, syntheticJournal(3_000));
  const manager = new RunManager({ runsDir: dir, surface: 'gui' });
  try {
    const whole = await manager.view('long');
    const snapshot = await manager.getRun('long');
    const size = (x: unknown) => JSON.stringify(x).length;
    expect(size(snapshot)).toBeLessThan(size(whole) / 5);
    expect(snapshot.summary.iterations_done).toBe(3_000);
    expect(snapshot.state.rated).toEqual([]);
    const kept = keptIterations(whole.state);
    expect(snapshot.state.iterations.every((s) => keeps(kept, s.iteration))).toBe(true);
    expect(Object.keys(snapshot.logs).every((i) => keeps(kept, Number(i)))).toBe(true);
    // The fit rates the kept models as a fit of every game does, and no other model.
    const fit = fromPortable(snapshot.ratings);
    const direct = fitRunRatings(whole.state.rated);
    const models = fit.players.flatMap((p) => {
      const player = parsePlayerId(p.id);
      return player?.kind === 'model' ? [player.iteration] : [];
    });
    expect(models.sort((a, b) => a - b)).toEqual(snapshot.state.iterations.map((s) => s.iteration));
    const best = `iter-${String(whole.state.best!.iteration).padStart(4, '0')}`;
    expect(ratingOf(fit, best)!.elo).toBeCloseTo(ratingOf(direct, best)!.elo, 1);
  } finally {
    await manager.shutdown();
  }
});

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

    // Any other iterations, on demand: whole, with their models' ratings in the fit of every game.
    const asked = await manager.getIterations('long', 2, 5);
    expect(asked.iterations.map((s) => s.iteration)).toEqual([2, 3, 4, 5]);
    expect(asked.evaluations.map((e) => e.iteration)).toEqual([2, 3, 4, 5]);
    expect(asked.ratings.map((p) => p.id).sort()).toEqual(['iter-0002', 'iter-0003', 'iter-0004', 'iter-0005']);
    expect(asked.ratings.find((p) => p.id === 'iter-0003')!.elo).toBeCloseTo(ratingOf(direct, 'iter-0003')!.elo, 1);
    await expect(manager.getIterations('long', 5, 2)).rejects.toThrow('iterations from 5 to 2: ask for 1 to 500 iterations');
    await expect(manager.getIterations('long', 1, 600)).rejects.toMatchObject({ code: 'bad_request' });
  } finally {
    await manager.shutdown();
  }
});

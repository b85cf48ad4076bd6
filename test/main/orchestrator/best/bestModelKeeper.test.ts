import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { withBestChange } from '../../../../src/shared/bestHistory';
import type { UnstampedEvent } from '../../../../src/shared/events';
import type { BestModelInfo } from '../../../../src/shared/stats';
import type { BestChange } from '../../../../src/main/orchestrator/best/bestModel';
import { BestModelKeeper } from '../../../../src/main/orchestrator/best/bestModelKeeper';
import { RunPaths } from '../../../../src/main/orchestrator/state/runPaths';
import { withTempDirPerTest } from '../helpers';

let dir: string;
withTempDirPerTest((d) => (dir = d));

/** A keeper over a run with models for `iterations` (all completed, unless listed in `unfinished`); best.changed events update the best it reads. */
async function newKeeper(iterations: number[], unfinished: number[] = []) {
  const paths = new RunPaths(dir, 'keeper');
  await mkdir(paths.modelsDir, { recursive: true });
  for (const i of iterations) await writeFile(paths.model(i), `model ${i}`);
  let best: BestModelInfo | null = null;
  const events: UnstampedEvent[] = [];
  const emit = async (event: UnstampedEvent) => {
    events.push(event);
    if (event.type === 'best.changed') best = withBestChange(best, event);
  };
  return {
    keeper: new BestModelKeeper(
      paths,
      () => best,
      (i) => iterations.includes(i) && !unfinished.includes(i),
      emit,
    ),
    paths,
    events,
  };
}

describe('BestModelKeeper', () => {
  it('applies the gate, promote and revert in order, copying each best to models/best.onnx', async () => {
    const { keeper, paths } = await newKeeper([1, 2, 3]);
    await keeper.gate(async () => ({ result: null, change: { iteration: 1, reason: 'initial', by: 'orchestrator', time: 't' } }));
    await keeper.gate(async (best) => ({ result: null, change: best?.iteration === 1 ? { iteration: 3, reason: 'gate', by: 'orchestrator', time: 't' } : null }));
    const promoted = await keeper.promote(2, 'ada@cli', 3);
    expect(promoted).toMatchObject({ iteration: 2, reason: 'manual', note: 'promoted by hand over iteration 3' });
    const reverted = await keeper.revert('ada@cli', 2);
    expect(reverted).toMatchObject({ iteration: 3, reason: 'revert', note: 'reverted from iteration 2' });
    expect(reverted.history.map((h) => [h.iteration, h.reason])).toEqual([
      [1, 'initial'],
      [3, 'gate'],
      [2, 'manual'],
      [3, 'revert'],
    ]);
    expect(await readFile(paths.bestModel, 'utf8')).toBe('model 3');
  });

  it('holds a manual change while a gate runs, and says that it waits', async () => {
    const { keeper, events } = await newKeeper([1, 2]);
    await keeper.gate(async () => ({ result: null, change: { iteration: 1, reason: 'initial', by: 'orchestrator', time: 't' } }));
    let finishGate!: () => void;
    const gate = keeper.gate(() => new Promise<{ result: null; change: null }>((resolve) => (finishGate = () => resolve({ result: null, change: null }))));
    const promote = keeper.promote(2, 'ada@gui', 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(keeper.pending).toEqual({ action: 'promote', iteration: 2 });
    expect(events.filter((e) => e.type === 'best.changed')).toHaveLength(1);
    finishGate();
    await gate;
    expect((await promote).iteration).toBe(2);
    expect(keeper.pending).toBeNull();
  });

  it('refuses a promotion to a model that does not exist, to an unfinished iteration or to the best itself, and a revert with nothing before', async () => {
    const { keeper, events } = await newKeeper([1, 2], [2]);
    await expect(keeper.revert('x', null)).rejects.toThrow('this run has no best model yet, so there is nothing to revert');
    await keeper.gate(async () => ({ result: null, change: { iteration: 1, reason: 'initial', by: 'orchestrator', time: 't' } }));
    await expect(keeper.promote(1, 'x', 1)).rejects.toThrow('iteration 1 is already the best model');
    await expect(keeper.promote(7, 'x', 1)).rejects.toThrow(/iteration 7 has not completed/);
    // Its model is written, but its evaluation has not ended: a crash now would redo it and delete that model.
    await expect(keeper.promote(2, 'x', 1)).rejects.toThrow('iteration 2 has not completed (its evaluation may still run); promote it once it has');
    await expect(keeper.promote(0.5, 'x', 1)).rejects.toThrow('iteration must be a whole number from 1 (got 0.5)');
    await expect(keeper.revert('x', 1)).rejects.toThrow(/first best model of this run/);
    expect(events).toHaveLength(1);
  });

  it('refuses a revert confirmed against a best model the gate has since replaced, saying what happened, and changes nothing', async () => {
    const { keeper, events, paths } = await newKeeper([1, 3, 4]);
    await keeper.gate(async () => ({ result: null, change: { iteration: 3, reason: 'initial', by: 'orchestrator', time: 't0' } }));
    await keeper.promote(1, 'ada@web', 3);
    // The user opens "Revert": it says the best goes back to 3, the one before 1. Meanwhile the gate promotes 4.
    let finishGate!: () => void;
    const gate = keeper.gate(
      () =>
        new Promise<{ result: null; change: BestChange }>(
          (resolve) => (finishGate = () => resolve({ result: null, change: { iteration: 4, reason: 'gate', by: 'orchestrator', time: 't2', note: 'score 0.610 > gate 0.55' } })),
        ),
    );
    const revert = keeper.revert('ada@web', 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(keeper.pending).toEqual({ action: 'revert', iteration: null });
    finishGate();
    await gate;
    await expect(revert).rejects.toMatchObject({
      code: 'conflict',
      message:
        'the best model changed since you confirmed: it is now iteration 4 (promoted by the gate at t2: score 0.610 > gate 0.55), not iteration 1; nothing changed. Look at the run again, then revert again if you still want to',
    });
    expect(events.flatMap((e) => (e.type === 'best.changed' ? [e.entry.iteration] : []))).toEqual([3, 1, 4]);
    expect(await readFile(paths.bestModel, 'utf8')).toBe('model 4');
    await expect(keeper.promote(3, 'ada@web', null)).rejects.toThrow(/it is now iteration 4 .*, not none/);
  });
});

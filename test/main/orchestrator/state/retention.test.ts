import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../src/shared/events';
import type { BestModelInfo } from '../../../../src/shared/stats';
import { Orchestrator } from '../../../../src/main/orchestrator/orchestrator';
import { forkRun } from '../../../../src/main/orchestrator/service/fork';
import { applyRetention } from '../../../../src/main/orchestrator/state/retention';
import { RunPaths } from '../../../../src/main/orchestrator/state/runPaths';
import { fakeConfig, withTempDirPerTest } from '../helpers';

let dir: string;
withTempDirPerTest((d) => (dir = d));

const best = (iteration: number) => ({ iteration }) as BestModelInfo;

/** A run folder with replay and checkpoints of iterations 1-10 (and a parent's replay of its iterations 4 and 5). */
async function folder(): Promise<RunPaths> {
  const paths = new RunPaths(dir, 'kept');
  await mkdir(paths.modelsDir, { recursive: true });
  for (let i = 1; i <= 10; i++) {
    await mkdir(paths.replayDir(i), { recursive: true });
    await writeFile(`${paths.replayDir(i)}/actor-1-000.safetensors`, 'x'.repeat(100));
    await writeFile(paths.model(i), 'onnx');
    await writeFile(paths.model(i).replace('.onnx', '.ckpt.safetensors'), 'c'.repeat(10));
  }
  for (const p of [4, 5]) await mkdir(paths.parentReplayDir(p), { recursive: true });
  return paths;
}

describe('retention', () => {
  it('keeps the newest replay, the newest and the best checkpoints, and every model; says what it deleted and its size', async () => {
    const paths = await folder();
    const deleted = await applyRetention(paths, { best: best(4), parent: { run: 'p', iteration: 5, steps: 0 } }, { keepReplayIterations: 3, replayWindow: 2 }, 10);
    expect(deleted?.paths).toEqual([
      'models/iter-0001.ckpt.safetensors',
      'models/iter-0002.ckpt.safetensors',
      'models/iter-0003.ckpt.safetensors',
      'models/iter-0005.ckpt.safetensors',
      'models/iter-0006.ckpt.safetensors',
      'models/iter-0007.ckpt.safetensors',
      'models/iter-0008.ckpt.safetensors',
      'models/iter-0009.ckpt.safetensors',
      'replay/iter-0001',
      'replay/iter-0002',
      'replay/iter-0003',
      'replay/iter-0004',
      'replay/iter-0005',
      'replay/iter-0006',
      'replay/iter-0007',
      'replay/parent-iter-0004',
      'replay/parent-iter-0005',
    ]);
    expect(deleted?.bytes).toBe(7 * 100 + 8 * 10);
    expect((await readdir(paths.replayRoot)).sort()).toEqual(['iter-0008', 'iter-0009', 'iter-0010']);
    expect((await readdir(paths.modelsDir)).filter((f) => f.endsWith('.onnx'))).toHaveLength(10);
    expect(await applyRetention(paths, { best: best(4), parent: null }, { keepReplayIterations: 3, replayWindow: 2 }, 10)).toBeNull();
  });

  it("keeps another trainer's checkpoints as it keeps the bundled one's, and a branch copies its starting model's", async () => {
    // A PyTorch trainer's iter-NNNN.ckpt.pt (docs/protocol.md, train); a temp file of a write under way is not one.
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 3 }));
    expect(await orchestrator.run()).toBe('completed');
    const paths = orchestrator.paths;
    for (let i = 1; i <= 3; i++) await writeFile(paths.model(i).replace('.onnx', '.ckpt.pt'), `torch ${i}`);
    await writeFile(`${paths.modelsDir}/.iter-0001.ckpt.pt.77.tmp`, 'partial');
    const bestIteration = orchestrator.view().state.best!.iteration;
    await orchestrator.close();
    const deleted = await applyRetention(paths, { best: best(bestIteration), parent: null }, { keepReplayIterations: 0, replayWindow: 1 }, 3);
    const kept = [...new Set([bestIteration, 3])].sort().map((i) => `iter-000${i}.ckpt.pt`);
    expect((await readdir(paths.modelsDir)).filter((f) => f.endsWith('.ckpt.pt')).sort()).toEqual(kept);
    expect(deleted!.paths.filter((p) => p.endsWith('.pt'))).toEqual([1, 2].filter((i) => i !== bestIteration).map((i) => `models/iter-000${i}.ckpt.pt`));
    expect(existsSync(`${paths.modelsDir}/.iter-0001.ckpt.pt.77.tmp`)).toBe(true);
    const branch = await forkRun(dir, 'fake', 3, { name: 'b', withReplay: false, changes: {}, by: 'test' });
    expect(await readFile(branch.paths.model(0).replace('.onnx', '.ckpt.pt'), 'utf8')).toBe('torch 3');
    await branch.close();
  });

  it('never keeps fewer iterations of replay than the window, and keeps all with 0', async () => {
    const paths = await folder();
    await applyRetention(paths, { best: best(10), parent: null }, { keepReplayIterations: 0, replayWindow: 2 }, 10);
    expect((await readdir(paths.replayRoot)).filter((n) => n.startsWith('iter-'))).toHaveLength(10);
    await applyRetention(paths, { best: best(10), parent: null }, { keepReplayIterations: 1, replayWindow: 4 }, 10);
    expect((await readdir(paths.replayRoot)).sort()).toEqual(['iter-0007', 'iter-0008', 'iter-0009', 'iter-0010']);
  });

  it('a run deletes replay beyond what it keeps as it goes, journals it, and trains on to the end', async () => {
    const orchestrator = await Orchestrator.create(fakeConfig(dir, { iterations: 5, replayWindow: 1, keepReplayIterations: 2 }));
    const events: RunEvent[] = [];
    orchestrator.onEvent((e) => events.push(e));
    expect(await orchestrator.run()).toBe('completed');
    expect((await readdir(orchestrator.paths.replayRoot)).sort()).toEqual(['iter-0004', 'iter-0005']);
    const deleted = events.filter((e) => e.type === 'files.deleted');
    expect(deleted.map((e) => e.iteration)).toEqual([3, 4, 5]);
    expect(deleted.flatMap((e) => e.paths).filter((p) => p.startsWith('replay/'))).toEqual(['replay/iter-0001', 'replay/iter-0002', 'replay/iter-0003']);
    expect(orchestrator.view().state.deleted_bytes).toBe(deleted.reduce((sum, e) => sum + e.bytes, 0));
    for (let i = 1; i <= 5; i++) expect(existsSync(orchestrator.paths.model(i))).toBe(true);
    await orchestrator.close();
    // A branch with the replay of an iteration whose replay is gone is refused, saying why; without it, it branches.
    const branch = { name: 'b', withReplay: true, changes: { iterations: 1 }, by: 'test' };
    await expect(forkRun(dir, 'fake', 2, branch)).rejects.toThrow(
      'run "fake" no longer has the replay of iteration 2 (its keepReplayIterations deleted it); branch without its replay, or from a later iteration',
    );
    const plain = await forkRun(dir, 'fake', 2, { ...branch, withReplay: false });
    await plain.close();
  });
});

import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileAtomic, writeFileAtomic, writeJsonAtomic } from '../../src/node/atomicWrite';
import { smallFilesystem } from '../fixtures/smallFilesystem';
import { tempDir } from '../main/orchestrator/helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('the atomic writer', () => {
  it('writes, replaces and copies whole files, leaving no temp file behind', async () => {
    const path = join(dir, 'stats.json');
    await writeJsonAtomic(path, { a: 1 });
    await writeFileAtomic(path, new Uint8Array([123, 125, 10]));
    expect(await readFile(path, 'utf8')).toBe('{}\n');
    await copyFileAtomic(path, join(dir, 'copy.json'));
    expect(await readFile(join(dir, 'copy.json'), 'utf8')).toBe('{}\n');
    expect((await readdir(dir)).sort()).toEqual(['copy.json', 'stats.json']);
  });

  it('gives writers of one file at once their own temp files: the file ends whole, as one of them wrote it', async () => {
    const path = join(dir, 'model.onnx');
    const contents = Array.from({ length: 20 }, (_, i) => String(i).repeat(50_000));
    await Promise.all(contents.map((c) => writeFileAtomic(path, c)));
    expect(contents).toContain(await readFile(path, 'utf8'));
    expect(await readdir(dir)).toEqual(['model.onnx']);
  });

  it('on a full disk fails with ENOSPC, keeps the old file whole and leaves no temp file', async (ctx) => {
    const fs = await smallFilesystem(256 * 1024);
    if ('unavailable' in fs) return ctx.skip(fs.unavailable);
    try {
      const path = join(fs.dir, 'loop_stats.json');
      await writeFile(path, 'old content');
      await expect(writeFileAtomic(path, 'x'.repeat(512 * 1024))).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(await readFile(path, 'utf8')).toBe('old content');
      expect(await readdir(fs.dir)).toEqual(['loop_stats.json']);
    } finally {
      await fs.cleanup();
    }
  });

  it('fails when the folder does not exist, writing nothing', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'x.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    await mkdir(join(dir, 'missing'));
    expect(await readdir(join(dir, 'missing'))).toEqual([]);
  });
});

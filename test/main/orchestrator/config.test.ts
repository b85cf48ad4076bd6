import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigValidationError, resolveConfig } from '../../../src/main/orchestrator/config';
import { defaultConfig } from '../../../src/shared/config/defaults';
import { tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('resolveConfig', () => {
  it('layers defaults < TOML file < LOOPDECK_* env < flags and says where each value came from', async () => {
    const file = join(dir, 'run.toml');
    await writeFile(file, 'game = "connect4"\niterations = 5\nepisodesPerIteration = 50\ntrainerCommand = ["python3", "train.py"]\n');
    const { config, sources } = await resolveConfig({
      file,
      env: { LOOPDECK_ITERATIONS: '7', LOOPDECK_NUM_ACTORS: '3', UNRELATED: 'x' },
      flags: { numActors: '4', name: 'layered' },
    });
    expect(config).toMatchObject({ game: 'connect4', iterations: 7, episodesPerIteration: 50, numActors: 4, name: 'layered', trainerCommand: ['python3', 'train.py'] });
    // Defaults follow the final game.
    expect(config.stepsPerIteration).toBe(defaultConfig('connect4').stepsPerIteration);
    expect(sources).toMatchObject({ game: 'file', iterations: 'env', episodesPerIteration: 'file', numActors: 'flag', name: 'flag', stepsPerIteration: 'default' });
  });

  it('names the source, the field and the fix of every bad value', async () => {
    const file = join(dir, 'bad.toml');
    await writeFile(file, 'iterations = -1\nepisodesPerIteraton = 10\n');
    const error = (await resolveConfig({ file, env: { LOOPDECK_GATE_THRESHOLD: 'high' }, flags: { numActors: '0' } }).catch((e) => e)) as ConfigValidationError;
    expect(error).toBeInstanceOf(ConfigValidationError);
    const text = error.errors.map((e) => `${e.field}: ${e.message}`).join('\n');
    expect(text).toMatch(/episodesPerIteraton: .*bad\.toml: "episodesPerIteraton" is not a setting; check its spelling/);
    expect(text).toMatch(/iterations: in .*bad\.toml: iterations must be a whole number from 1 to 100000 \(got -1\)/);
    expect(text).toMatch(/gateThreshold: environment variable LOOPDECK_GATE_THRESHOLD: gateThreshold must be a number from 0 to 1 \(got "high"\)/);
    expect(text).toMatch(/numActors: flag --num-actors: numActors must be a whole number from 1 to 256/);
  });

  it('reports a TOML syntax error with its line', async () => {
    const file = join(dir, 'broken.toml');
    await writeFile(file, 'iterations = 3\ngame = "connect4\n');
    await expect(resolveConfig({ file })).rejects.toThrow(/broken\.toml at line 2, column \d+: not valid TOML/);
  });
});

import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS, envName, flagName } from '../../src/shared/config/fields';
import { defaultConfig } from '../../src/shared/config/defaults';
import { joinCommandLine, splitCommandLine } from '../../src/shared/commandLine';
import { simsForIteration } from '../../src/shared/simulations';
import { validateConfig } from '../../src/shared/config/validate';

describe('validateConfig', () => {
  it('fills the chosen game defaults', () => {
    const result = validateConfig({ game: 'connect4', name: 'c4' });
    expect(result.ok).toBe(true);
    expect(result.config).toEqual({ ...defaultConfig('connect4'), name: 'c4' });
  });

  it('coerces strings from flags and env vars', () => {
    const result = validateConfig({ iterations: '7', evalVsRandom: 'false', learningRate: '0.01', actorCommand: "python 'my actor.py' -v" });
    expect(result.ok && result.config.iterations).toBe(7);
    expect(result.ok && result.config.evalVsRandom).toBe(false);
    expect(result.ok && result.config.learningRate).toBe(0.01);
    expect(result.ok && result.config.actorCommand).toEqual(['python', 'my actor.py', '-v']);
  });

  it('names the field, the value and the fix for every bad value', () => {
    const result = validateConfig({ iterations: 0, numActors: 2.5, game: 'Chess!', gateThreshold: '2', name: '../x' });
    expect(result.ok).toBe(false);
    const byField = Object.fromEntries(result.errors.map((e) => [e.field, e.message]));
    expect(byField.iterations).toMatch(/iterations must be a whole number from 1 to 100000 \(got 0\).*--iterations/);
    expect(byField.numActors).toMatch(/numActors must be a whole number/);
    expect(byField.game).toMatch(/game must be an id of 1-64 lowercase letters, digits, ".", "-" or "_" \(got "Chess!"\)/);
    expect(byField.gateThreshold).toMatch(/from 0 to 1/);
    expect(byField.name).toMatch(/letters, digits/);
  });

  it('refuses unknown settings and an inverted simulation ramp', () => {
    const result = validateConfig({ iteratons: 3, startSims: 100, maxSims: 10 } as never);
    expect(result.errors.map((e) => e.field).sort()).toEqual(['iteratons', 'maxSims']);
  });
});

describe('field names', () => {
  it('derives flags and environment variables', () => {
    expect(flagName('episodesPerIteration')).toBe('--episodes-per-iteration');
    expect(envName('evalVsRandom')).toBe('LOOPDECK_EVAL_VS_RANDOM');
    expect(new Set(CONFIG_FIELDS.map((f) => f.label)).size).toBe(CONFIG_FIELDS.length);
  });
});

describe('command lines', () => {
  it('round-trips through split and join', () => {
    const argv = ['python3', '-m', 'my trainer', "it's", '--x=1', '$HOME', '', 'a"b', 'x|y', '#note', '*.onnx'];
    expect(splitCommandLine(joinCommandLine(argv))).toEqual(argv);
    expect(joinCommandLine(['srun', '--jobid=16', 'a b'])).toBe("srun --jobid=16 'a b'");
    expect(() => splitCommandLine('a "b')).toThrow(/unclosed/);
  });

  it('splits like a shell but expands nothing and refuses what only a shell could run', () => {
    expect(splitCommandLine(`python3 "my trainer.py" --out 'a b' c\\ d $HOME *.onnx`)).toEqual(['python3', 'my trainer.py', '--out', 'a b', 'c d', '$HOME', '*.onnx']);
    for (const line of ['train | tee log', 'a && b', 'train > log', 'train # note']) expect(() => splitCommandLine(line)).toThrow(/needs a shell.*sh -c/);
    const result = validateConfig({ game: 'tictactoe', trainerCommand: 'python3 train.py | tee log' });
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({ field: 'trainerCommand' });
    expect(result.errors[0]!.message).toMatch(/needs a shell/);
  });
});

it('ramps simulations per iteration up to the cap', () => {
  const c = { startSims: 10, maxSims: 25, simRampRate: 10 };
  expect([1, 2, 3].map((i) => simsForIteration(c, i))).toEqual([10, 20, 25]);
});

import { describe, expect, it } from 'vitest';
import { Flags } from '../../src/engine/flags';
import { PROTOCOL_FLAGS } from '../../src/shared/protocol';

describe("the engine's flags", () => {
  it("take a subcommand's protocol flags and the engine's extras, and refuse any other by name", () => {
    const argv = ['--game', 'tictactoe', '--a', 'x.onnx', '--b', 'random', '--games', '4', '--sims', '8', '--temperature', '0', '--seed', '3', '--parallel', '2'];
    const flags = Flags.of('arena', argv, ['parallel'] as const);
    expect(flags.number('games', { int: true })).toBe(4);
    expect(flags.number('parallel', { int: true })).toBe(2);
    expect(() => Flags.of('arena', argv)).toThrow('arena: unknown flag --parallel; known flags: --game --a --b --games --sims --temperature --seed');
    expect(PROTOCOL_FLAGS.train).toContain('start-step');
  });
});

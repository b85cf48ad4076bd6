import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect4 } from '../../../src/shared/games/connect4/rules';
import { ticTacToe } from '../../../src/shared/games/tictactoe/rules';
import { createRng } from '../../../src/shared/random';
import type { Game } from '../../../src/shared/games/types';
import { decodeSafetensors } from '../../../src/engine/replay/safetensors';
import type { ShardData } from '../../../src/engine/replay/shard';
import { packBits, readShard, shardLayoutFromEnv, unpackBits, writeShard } from '../../../src/engine/replay/shardFile';
import { tempDir } from '../../main/orchestrator/helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** Positions of random games, as self-play records them: observation, a visit distribution over the legal moves, result and search value. */
function selfplayShard<S>(game: Game<S>, count: number, seed: number): ShardData {
  const rng = createRng(seed);
  const shard: ShardData = {
    count,
    obsSize: game.obsSize,
    actions: game.actions,
    observation: new Float32Array(count * game.obsSize),
    policy: new Float32Array(count * game.actions),
    value: new Float32Array(count),
    legal: new Uint8Array(count * game.actions),
    searchValue: new Float32Array(count),
  };
  let state = game.initial();
  for (let i = 0; i < count; i++) {
    if (game.outcome(state) !== null) state = game.initial();
    const legal = game.legalActions(state);
    game.encode(state, shard.observation, i * game.obsSize);
    const visits = legal.map(() => Math.floor(rng() * 400));
    const total = visits.reduce((a, b) => a + b, 0) || 1;
    legal.forEach((a, k) => {
      shard.legal[i * game.actions + a] = 1;
      shard.policy[i * game.actions + a] = visits[k]! / total;
    });
    shard.value[i] = [-1, 0, 1][Math.floor(rng() * 3)]!;
    shard.searchValue![i] = rng() * 2 - 1;
    state = game.play(state, legal[Math.floor(rng() * legal.length)]!);
  }
  return shard;
}

describe('replay shard files', () => {
  it('pack bits little-endian within a byte, as numpy.unpackbits(bitorder="little") reads them, and refuse values other than 0 and 1', () => {
    const bits = packBits([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1], 10)!;
    expect(Array.from(bits)).toEqual([0b01, 0b10, 0b01, 0b11]);
    expect(Array.from(unpackBits(bits, 10, new Uint8Array(20)))).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(packBits([0, 0.5], 2)).toBeNull();
  });

  it('the packed layout reads back what self-play wrote: observations, legal moves and results exactly, policy and search value to their precision', async () => {
    for (const game of [connect4, ticTacToe] as Game[]) {
      const shard = selfplayShard(game, 500, 3);
      const path = join(dir, `${game.id}.safetensors`);
      await writeShard(path, shard);
      expect(Object.keys(decodeSafetensors(await readFile(path)).tensors).sort()).toEqual(['legal_bits', 'observation_bits', 'policy_q16', 'search_value_q15', 'value_i8']);
      const back = await readShard(path, game);
      expect(back.observation).toEqual(shard.observation);
      expect(back.legal).toEqual(shard.legal);
      expect(back.value).toEqual(shard.value);
      for (let i = 0; i < shard.policy.length; i++) expect(Math.abs(back.policy[i]! - shard.policy[i]!)).toBeLessThan(1e-4);
      for (let i = 0; i < shard.count; i++) expect(Math.abs(back.searchValue![i]! - shard.searchValue![i]!)).toBeLessThan(1 / 32767);
    }
  });

  it('a Connect Four position takes at most 64 bytes on disk packed, against 883 in the full layout', async () => {
    const shard = selfplayShard(connect4, 2000, 5);
    await mkdir(join(dir, 'sizes'));
    await writeShard(join(dir, 'sizes', 'packed.safetensors'), shard);
    await writeShard(join(dir, 'sizes', 'full.safetensors'), shard, 'full');
    const perPosition = async (name: string) => (await stat(join(dir, 'sizes', name))).size / shard.count;
    expect(await perPosition('packed.safetensors')).toBeLessThanOrEqual(64);
    expect(await perPosition('full.safetensors')).toBeGreaterThan(880);
  });

  it('reads shards of the full layout (earlier runs, other engines) as before, and writes it where the observation is not all 0 and 1', async () => {
    const shard = selfplayShard(ticTacToe, 50, 7);
    await writeShard(join(dir, 'full.safetensors'), shard, 'full');
    expect(await readShard(join(dir, 'full.safetensors'), ticTacToe)).toEqual(shard);
    shard.observation[3] = 0.5;
    await writeShard(join(dir, 'graded.safetensors'), shard);
    expect(Object.keys(decodeSafetensors(await readFile(join(dir, 'graded.safetensors'))).tensors)).toContain('observation');
    expect((await readShard(join(dir, 'graded.safetensors'), ticTacToe)).observation[3]).toBe(0.5);
  });

  it('takes the layout from LOOPDECK_SHARD_LAYOUT, refusing anything else by name', () => {
    expect(shardLayoutFromEnv({})).toBe('packed');
    expect(shardLayoutFromEnv({ LOOPDECK_SHARD_LAYOUT: 'full' })).toBe('full');
    expect(() => shardLayoutFromEnv({ LOOPDECK_SHARD_LAYOUT: 'zip' })).toThrow('LOOPDECK_SHARD_LAYOUT must be "packed" or "full" (got "zip")');
  });
});

/**
 * The trainer's view of the replay: every readable shard of the given
 * folders in one set of arrays; batches sampled with a random symmetry each.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Game } from '../../shared/games/types';
import type { Rng } from '../../shared/random';
import { readShard } from './shardFile';
import type { ShardData } from './shard';

export interface Batch {
  observation: Float32Array;
  policy: Float32Array;
  value: Float32Array;
  legal: Float32Array;
  size: number;
}

export interface LoadedReplay {
  data: ShardData;
  shards: number;
  skipped: { path: string; error: string }[];
}

/**
 * The value target's share taken from the search's root value, where a shard
 * has one; the rest is the game's result. The result alone is a noisy target
 * (one game decides it, exploration moves included); averaging it with the
 * search value lowers that noise, as in published AlphaZero Connect Four work.
 */
export const SEARCH_VALUE_WEIGHT = 0.5;

export async function loadReplay(dirs: string[], game: Game, log: (line: string) => void): Promise<LoadedReplay> {
  const shards: ShardData[] = [];
  const skipped: { path: string; error: string }[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.safetensors')).sort();
    } catch (error) {
      throw new Error(`--replay ${dir}: cannot read the folder (${(error as Error).message})`);
    }
    for (const name of names) {
      const path = join(dir, name);
      try {
        shards.push(await readShard(path, game));
      } catch (error) {
        skipped.push({ path, error: (error as Error).message });
        log(`skipping corrupt shard ${path}: ${(error as Error).message}`);
      }
    }
  }
  const count = shards.reduce((s, d) => s + d.count, 0);
  const data: ShardData = {
    count,
    obsSize: game.obsSize,
    actions: game.actions,
    observation: new Float32Array(count * game.obsSize),
    policy: new Float32Array(count * game.actions),
    value: new Float32Array(count),
    legal: new Uint8Array(count * game.actions),
  };
  let at = 0;
  for (const s of shards) {
    data.observation.set(s.observation, at * game.obsSize);
    data.policy.set(s.policy, at * game.actions);
    if (s.searchValue) for (let i = 0; i < s.count; i++) data.value[at + i] = (1 - SEARCH_VALUE_WEIGHT) * s.value[i]! + SEARCH_VALUE_WEIGHT * s.searchValue[i]!;
    else data.value.set(s.value, at);
    data.legal.set(s.legal, at * game.actions);
    at += s.count;
  }
  return { data, shards: shards.length, skipped };
}

/** A batch of uniformly sampled positions, each under a random symmetry of the game (or none). */
export function sampleBatch(data: ShardData, game: Game, size: number, rng: Rng, out?: Batch): Batch {
  const { obsSize, actions } = data;
  const batch = out ?? {
    observation: new Float32Array(size * obsSize),
    policy: new Float32Array(size * actions),
    value: new Float32Array(size),
    legal: new Float32Array(size * actions),
    size,
  };
  const symmetries = game.symmetries;
  for (let b = 0; b < size; b++) {
    const i = Math.floor(rng() * data.count);
    const k = Math.floor(rng() * (symmetries.length + 1));
    const sym = k === 0 ? null : symmetries[k - 1]!;
    const oBase = i * obsSize;
    const aBase = i * actions;
    for (let j = 0; j < obsSize; j++) batch.observation[b * obsSize + j] = data.observation[oBase + (sym ? sym.observation[j]! : j)]!;
    for (let a = 0; a < actions; a++) {
      const from = aBase + (sym ? sym.action[a]! : a);
      batch.policy[b * actions + a] = data.policy[from]!;
      batch.legal[b * actions + a] = data.legal[from]!;
    }
    batch.value[b] = data.value[i]!;
  }
  return batch;
}

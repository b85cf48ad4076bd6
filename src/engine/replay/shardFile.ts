/**
 * Replay shards on disk (docs/protocol.md, Replay shards), in one of two layouts of safetensors:
 *
 * - full: `observation` [n, obsSize] F32, `policy` [n, actions] F32, `value` [n] F32, `legal`
 *   [n, actions] U8, optional `search_value` [n] F32: what any engine may write.
 * - packed (what the bundled actor writes): `observation_bits` [n, ceil(obsSize/8)] U8 for an
 *   observation whose every value is 0 or 1 (bit j of byte b is value 8b+j: numpy's
 *   unpackbits(bitorder='little')), `policy_q16` [n, actions] U16 (probability x 65535),
 *   `legal_bits` [n, ceil(actions/8)] U8, `value_i8` [n] I8 and `search_value_q15` [n] I16
 *   (value x 32767); the header's metadata holds `observation_size`. About 45 bytes per Connect
 *   Four position against 883 for the full layout.
 *
 * Both read back as the same ShardData.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../node/atomicWrite';
import { decodeSafetensors, encodeSafetensors, type DType, type Tensor } from './safetensors';
import type { ShardData } from './shard';

export type ShardLayout = 'full' | 'packed';

const POLICY_SCALE = 65535;
const SEARCH_VALUE_SCALE = 32767;

/** Packs rows of 0/1 values into bits, `width` values a row; null when some value is neither 0 nor 1. */
export function packBits(values: ArrayLike<number>, width: number): Uint8Array | null {
  const rows = values.length / width;
  const bytes = Math.ceil(width / 8);
  const out = new Uint8Array(rows * bytes);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < width; j++) {
      const v = values[r * width + j]!;
      if (v === 1) out[r * bytes + (j >> 3)]! |= 1 << (j & 7);
      else if (v !== 0) return null;
    }
  }
  return out;
}

/** The values of packBits' rows, into `out` (floats or bytes). */
export function unpackBits<T extends Float32Array | Uint8Array>(bits: Uint8Array, width: number, out: T): T {
  const bytes = Math.ceil(width / 8);
  const rows = bits.length / bytes;
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) out[r * width + j] = (bits[r * bytes + (j >> 3)]! >> (j & 7)) & 1;
  return out;
}

function fullTensors(shard: ShardData): Record<string, Tensor> {
  const { count: n, obsSize, actions } = shard;
  return {
    observation: { dtype: 'F32', shape: [n, obsSize], data: shard.observation },
    policy: { dtype: 'F32', shape: [n, actions], data: shard.policy },
    value: { dtype: 'F32', shape: [n], data: shard.value },
    legal: { dtype: 'U8', shape: [n, actions], data: shard.legal },
    ...(shard.searchValue ? { search_value: { dtype: 'F32' as const, shape: [n], data: shard.searchValue } } : {}),
  };
}

/** The packed tensors, or null when the observation is not all 0/1 (then the full layout is written). */
function packedTensors(shard: ShardData): Record<string, Tensor> | null {
  const { count: n, obsSize, actions } = shard;
  const observation = packBits(shard.observation, obsSize);
  if (!observation) return null;
  const policy = new Uint16Array(n * actions);
  for (let i = 0; i < policy.length; i++) policy[i] = Math.round(Math.min(1, Math.max(0, shard.policy[i]!)) * POLICY_SCALE);
  const value = Int8Array.from(shard.value, (v) => Math.sign(v));
  return {
    observation_bits: { dtype: 'U8', shape: [n, Math.ceil(obsSize / 8)], data: observation },
    policy_q16: { dtype: 'U16', shape: [n, actions], data: policy },
    legal_bits: { dtype: 'U8', shape: [n, Math.ceil(actions / 8)], data: packBits(shard.legal, actions)! },
    value_i8: { dtype: 'I8', shape: [n], data: value },
    ...(shard.searchValue
      ? { search_value_q15: { dtype: 'I16' as const, shape: [n], data: Int16Array.from(shard.searchValue, (v) => Math.round(Math.min(1, Math.max(-1, v)) * SEARCH_VALUE_SCALE)) } }
      : {}),
  };
}

/**
 * The layout the actor writes: packed, or full where LOOPDECK_SHARD_LAYOUT=full asks for it (an
 * outside trainer that reads only the full layout). Optional outputs are asked for in the environment.
 */
export function shardLayoutFromEnv(env: NodeJS.ProcessEnv = process.env): ShardLayout {
  const raw = env.LOOPDECK_SHARD_LAYOUT;
  if (raw === undefined || raw === '' || raw === 'packed') return 'packed';
  if (raw === 'full') return 'full';
  throw new Error(`LOOPDECK_SHARD_LAYOUT must be "packed" or "full" (got "${raw}")`);
}

export async function writeShard(path: string, shard: ShardData, layout: ShardLayout = 'packed'): Promise<void> {
  const packed = layout === 'packed' ? packedTensors(shard) : null;
  await writeFileAtomic(path, packed ? encodeSafetensors(packed, { observation_size: String(shard.obsSize) }) : encodeSafetensors(fullTensors(shard)));
}

/** Reads a shard of either layout and checks it against the game's sizes; throws naming the file and the problem. */
export async function readShard(path: string, expected?: { obsSize: number; actions: number }): Promise<ShardData> {
  const { tensors, metadata } = decodeSafetensors(await readFile(path), path);
  const tensor = <D extends DType>(name: string, dtype: D, optional = false): Extract<Tensor, { dtype: D }> | null => {
    const t = tensors[name];
    if (!t) {
      if (optional) return null;
      throw new Error(`${path}: no "${name}" tensor`);
    }
    if (t.dtype !== dtype) throw new Error(`${path}: "${name}" is ${t.dtype}, expected ${dtype}`);
    return t as Extract<Tensor, { dtype: D }>;
  };
  const shard = tensors.observation_bits ? readPacked(path, tensor, Number(metadata.observation_size)) : readFull(tensor);
  const { count: n, obsSize, actions } = shard;
  if (
    shard.observation.length !== n * obsSize ||
    shard.policy.length !== n * actions ||
    shard.value.length !== n ||
    shard.legal.length !== n * actions ||
    (shard.searchValue && shard.searchValue.length !== n)
  )
    throw new Error(
      `${path}: tensor shapes disagree: ${Object.entries(tensors)
        .map(([name, t]) => `${name} [${t.shape}]`)
        .join(', ')}`,
    );
  if (expected && (obsSize !== expected.obsSize || actions !== expected.actions))
    throw new Error(`${path}: positions of ${obsSize} inputs and ${actions} actions do not fit this game (expected ${expected.obsSize} and ${expected.actions})`);
  return shard;
}

type TensorOf = <D extends DType>(name: string, dtype: D, optional?: boolean) => Extract<Tensor, { dtype: D }> | null;

function readFull(tensor: TensorOf): ShardData {
  const observation = tensor('observation', 'F32')!;
  const policy = tensor('policy', 'F32')!;
  const searchValue = tensor('search_value', 'F32', true);
  const [count, obsSize] = observation.shape as [number, number];
  return {
    count,
    obsSize,
    actions: policy.shape[1]!,
    observation: observation.data,
    policy: policy.data,
    value: tensor('value', 'F32')!.data,
    legal: tensor('legal', 'U8')!.data,
    ...(searchValue ? { searchValue: searchValue.data } : {}),
  };
}

function readPacked(path: string, tensor: TensorOf, obsSize: number): ShardData {
  if (!Number.isInteger(obsSize) || obsSize < 1) throw new Error(`${path}: a packed shard needs its observation_size in the header's metadata`);
  const bits = tensor('observation_bits', 'U8')!;
  const policyQ = tensor('policy_q16', 'U16')!;
  const searchQ = tensor('search_value_q15', 'I16', true);
  const count = bits.shape[0]!;
  const actions = policyQ.shape[1]!;
  if (bits.shape[1] !== Math.ceil(obsSize / 8)) throw new Error(`${path}: observation_bits [${bits.shape}] does not hold ${obsSize} values a row`);
  const policy = Float32Array.from(policyQ.data, (q) => q / POLICY_SCALE);
  // Rounding leaves each row a few 1/65535 off a sum of 1: renormalised.
  for (let r = 0; r < count; r++) {
    let sum = 0;
    for (let a = 0; a < actions; a++) sum += policy[r * actions + a]!;
    if (sum > 0) for (let a = 0; a < actions; a++) policy[r * actions + a]! /= sum;
  }
  return {
    count,
    obsSize,
    actions,
    observation: unpackBits(bits.data, obsSize, new Float32Array(count * obsSize)),
    policy,
    value: Float32Array.from(tensor('value_i8', 'I8')!.data),
    legal: unpackBits(tensor('legal_bits', 'U8')!.data, actions, new Uint8Array(count * actions)),
    ...(searchQ ? { searchValue: Float32Array.from(searchQ.data, (q) => q / SEARCH_VALUE_SCALE) } : {}),
  };
}

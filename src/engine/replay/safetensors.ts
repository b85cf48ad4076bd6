/**
 * safetensors files: 8-byte little-endian header length, a JSON header of
 * {name: {dtype, shape, data_offsets}}, then the raw little-endian data.
 * Replay shards and trainer checkpoints use it.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../node/atomicWrite';
import type { ShardData } from './shard';

type DType = 'F32' | 'U8';
export type Tensor = { dtype: 'F32'; shape: number[]; data: Float32Array } | { dtype: 'U8'; shape: number[]; data: Uint8Array };

const BYTES: Record<DType, number> = { F32: 4, U8: 1 };

export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Buffer {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  const parts: Buffer[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned.
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([prefix, Buffer.from(json), ...parts]);
}

export function decodeSafetensors(buffer: Buffer, source = 'safetensors data'): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  if (buffer.length < 8) throw new Error(`${source}: too short to be a safetensors file (${buffer.length} bytes)`);
  const headerLength = Number(buffer.readBigUInt64LE(0));
  if (headerLength > buffer.length - 8 || headerLength > 100_000_000) throw new Error(`${source}: header length ${headerLength} exceeds the file (${buffer.length} bytes)`);
  let header: Record<string, { dtype: DType; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(buffer.subarray(8, 8 + headerLength).toString('utf8'));
  } catch (error) {
    throw new Error(`${source}: header is not JSON (${(error as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const tensors: Record<string, Tensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets } = entry as { dtype: DType; shape: number[]; data_offsets: [number, number] };
    if (!(dtype in BYTES)) throw new Error(`${source}: tensor "${name}" has dtype ${dtype}; only F32 and U8 are read`);
    const [begin, end] = data_offsets;
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * BYTES[dtype] || dataStart + end > buffer.length)
      throw new Error(`${source}: tensor "${name}" of shape [${shape}] does not fit its data offsets [${begin}, ${end}] in a file of ${buffer.length} bytes`);
    const bytes = buffer.subarray(dataStart + begin, dataStart + end);
    // Copy: the tensor must own aligned memory.
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    tensors[name] = dtype === 'F32' ? { dtype, shape, data: new Float32Array(copy.buffer) } : { dtype, shape, data: copy };
  }
  return { tensors, metadata };
}

export async function writeShardAtomic(path: string, shard: ShardData): Promise<void> {
  const { count: n, obsSize, actions } = shard;
  await writeFileAtomic(
    path,
    encodeSafetensors({
      observation: { dtype: 'F32', shape: [n, obsSize], data: shard.observation },
      policy: { dtype: 'F32', shape: [n, actions], data: shard.policy },
      value: { dtype: 'F32', shape: [n], data: shard.value },
      legal: { dtype: 'U8', shape: [n, actions], data: shard.legal },
      ...(shard.searchValue ? { search_value: { dtype: 'F32' as const, shape: [n], data: shard.searchValue } } : {}),
    }),
  );
}

/** Reads a shard and checks it against the game's sizes; throws naming the file and the problem. */
export async function readShard(path: string, expected?: { obsSize: number; actions: number }): Promise<ShardData> {
  const { tensors } = decodeSafetensors(await readFile(path), path);
  const need = (name: string, dtype: DType) => {
    const t = tensors[name];
    if (!t) throw new Error(`${path}: no "${name}" tensor`);
    if (t.dtype !== dtype) throw new Error(`${path}: "${name}" is ${t.dtype}, expected ${dtype}`);
    return t;
  };
  const observation = need('observation', 'F32');
  const policy = need('policy', 'F32');
  const value = need('value', 'F32');
  const legal = need('legal', 'U8');
  const searchValue = tensors.search_value ? need('search_value', 'F32') : null;
  const [n, obsSize] = observation.shape as [number, number];
  const actions = policy.shape[1]!;
  if (policy.shape[0] !== n || value.shape[0] !== n || legal.shape[0] !== n || legal.shape[1] !== actions || (searchValue && searchValue.shape[0] !== n))
    throw new Error(
      `${path}: tensor shapes disagree: observation [${observation.shape}], policy [${policy.shape}], value [${value.shape}], legal [${legal.shape}]${searchValue ? `, search_value [${searchValue.shape}]` : ''}`,
    );
  if (expected && (obsSize !== expected.obsSize || actions !== expected.actions))
    throw new Error(`${path}: positions of ${obsSize} inputs and ${actions} actions do not fit this game (expected ${expected.obsSize} and ${expected.actions})`);
  return {
    count: n,
    obsSize,
    actions,
    observation: observation.data as Float32Array,
    policy: policy.data as Float32Array,
    value: value.data as Float32Array,
    legal: legal.data as Uint8Array,
    ...(searchValue ? { searchValue: searchValue.data as Float32Array } : {}),
  };
}

/**
 * safetensors files: 8-byte little-endian header length, a JSON header of
 * {name: {dtype, shape, data_offsets}}, then the raw little-endian data.
 * Replay shards (shardFile.ts) and trainer checkpoints use it.
 */
export type Tensor =
  | { dtype: 'F32'; shape: number[]; data: Float32Array }
  | { dtype: 'U8'; shape: number[]; data: Uint8Array }
  | { dtype: 'U16'; shape: number[]; data: Uint16Array }
  | { dtype: 'I8'; shape: number[]; data: Int8Array }
  | { dtype: 'I16'; shape: number[]; data: Int16Array };
export type DType = Tensor['dtype'];

const ARRAYS = { F32: Float32Array, U8: Uint8Array, U16: Uint16Array, I8: Int8Array, I16: Int16Array } as const;
const BYTES: Record<DType, number> = { F32: 4, U8: 1, U16: 2, I8: 1, I16: 2 };

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
    if (!(dtype in BYTES)) throw new Error(`${source}: tensor "${name}" has dtype ${dtype}; only ${Object.keys(BYTES).join(', ')} are read`);
    const [begin, end] = data_offsets;
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * BYTES[dtype] || dataStart + end > buffer.length)
      throw new Error(`${source}: tensor "${name}" of shape [${shape}] does not fit its data offsets [${begin}, ${end}] in a file of ${buffer.length} bytes`);
    const bytes = buffer.subarray(dataStart + begin, dataStart + end);
    // Copy: the tensor must own aligned memory.
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    tensors[name] = { dtype, shape, data: new ARRAYS[dtype](copy.buffer) } as Tensor;
  }
  return { tensors, metadata };
}

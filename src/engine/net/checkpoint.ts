/**
 * The trainer's checkpoint beside each ONNX model (iter-0003.onnx ->
 * iter-0003.ckpt.safetensors): weights, Adam's state and the step, so the
 * next iteration continues exactly. A model from another trainer has none;
 * then its ONNX initializers are used if they fit, else fresh weights.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { onnx } from './onnxProto';
import { decodeSafetensors, encodeSafetensors, writeFileDurably, type Tensor } from '../replay/safetensors';
import { weightSpecs, type Architecture } from './architecture';
import type { Network } from './network';

export function checkpointPath(onnxPath: string): string {
  return `${onnxPath.replace(/\.onnx$/, '')}.ckpt.safetensors`;
}

export async function saveCheckpoint(path: string, network: Network, step: number): Promise<void> {
  const tensors: Record<string, Tensor> = {};
  for (const spec of weightSpecs(network.arch)) tensors[`weight/${spec.name}`] = { dtype: 'F32', shape: spec.shape, data: network.variables.get(spec.name)!.dataSync() as Float32Array };
  for (const [name, t] of await network.optimizerState()) tensors[`adam/${name}`] = { dtype: 'F32', shape: t.shape, data: t.data };
  await writeFileDurably(path, encodeSafetensors(tensors, { step: String(step), architecture: JSON.stringify(network.arch) }));
}

export interface LoadedCheckpoint {
  weights: Map<string, Float32Array>;
  adam: Map<string, { shape: number[]; data: Float32Array }> | null;
  source: string;
}

function sameArchitecture(a: Architecture, b: Architecture): boolean {
  return a.obsSize === b.obsSize && a.actions === b.actions && a.hidden === b.hidden && a.blocks === b.blocks && a.valueHidden === b.valueHidden;
}

/** Weights to start from for `--init <onnx>`, or null (with the reason) when there are none that fit. */
export async function loadInit(onnxPath: string, arch: Architecture): Promise<LoadedCheckpoint | { reason: string }> {
  const ckpt = checkpointPath(onnxPath);
  if (existsSync(ckpt)) {
    const { tensors, metadata } = decodeSafetensors(await readFile(ckpt), ckpt);
    const saved = JSON.parse(metadata.architecture ?? '{}') as Architecture;
    if (!sameArchitecture(saved, arch)) return { reason: `checkpoint ${ckpt} has another architecture (${JSON.stringify(saved)})` };
    const weights = new Map<string, Float32Array>();
    const adam = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [name, t] of Object.entries(tensors)) {
      if (name.startsWith('weight/')) weights.set(name.slice(7), t.data as Float32Array);
      else if (name.startsWith('adam/')) adam.set(name.slice(5), { shape: t.shape, data: t.data as Float32Array });
    }
    return { weights, adam, source: `checkpoint ${ckpt} (weights and optimizer state)` };
  }
  const model = onnx.ModelProto.decode(await readFile(onnxPath));
  const byName = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const weights = new Map<string, Float32Array>();
  for (const spec of weightSpecs(arch)) {
    const t = byName.get(spec.name);
    const dims = (t?.dims ?? []).map(Number);
    if (!t || dims.join(',') !== spec.shape.join(',') || !t.rawData)
      return { reason: `${onnxPath} has no checkpoint beside it and its weights are not this engine's network (missing or different ${spec.name})` };
    const bytes = t.rawData;
    weights.set(spec.name, new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
  }
  return { weights, adam: null, source: `${onnxPath} (its weights; no optimizer state)` };
}

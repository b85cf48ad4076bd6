/**
 * The trainer's checkpoint beside each ONNX model (iter-0003.onnx ->
 * iter-0003.ckpt.safetensors): weights, Adam's state and the step, so the
 * next iteration continues exactly, and the weights' moving average where
 * the trainer keeps one (the ONNX model is then the average). A model from
 * another trainer has none;
 * then its ONNX initializers are used if they fit, else fresh weights.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { onnx } from './onnxProto';
import { writeFileAtomic } from '../../node/atomicWrite';
import { decodeSafetensors, encodeSafetensors, type Tensor } from '../replay/safetensors';
import { weightSize, weightSpecs, type Architecture } from './architecture';
import type { AdamState } from './onnxTrainer';

export function checkpointPath(onnxPath: string): string {
  return `${onnxPath.replace(/\.onnx$/, '')}.ckpt.safetensors`;
}

export async function saveCheckpoint(
  path: string,
  arch: Architecture,
  weights: Map<string, Float32Array>,
  adam: AdamState,
  step: number,
  average: Map<string, Float32Array> | null = null,
): Promise<void> {
  const tensors: Record<string, Tensor> = { 'adam/iter': { dtype: 'F32', shape: [], data: Float32Array.of(adam.updates) } };
  for (const spec of weightSpecs(arch)) {
    tensors[`weight/${spec.name}`] = { dtype: 'F32', shape: spec.shape, data: weights.get(spec.name)! };
    const averaged = average?.get(spec.name);
    if (averaged) tensors[`average/${spec.name}`] = { dtype: 'F32', shape: spec.shape, data: averaged };
    tensors[`adam/${spec.name}/m`] = { dtype: 'F32', shape: spec.shape, data: adam.firstMoment.get(spec.name)! };
    tensors[`adam/${spec.name}/v`] = { dtype: 'F32', shape: spec.shape, data: adam.secondMoment.get(spec.name)! };
  }
  await writeFileAtomic(path, encodeSafetensors(tensors, { step: String(step), architecture: JSON.stringify(arch) }));
}

export interface LoadedCheckpoint {
  weights: Map<string, Float32Array>;
  adam: AdamState | null;
  /** The weights' moving average, where the checkpoint has one. */
  average: Map<string, Float32Array> | null;
  source: string;
}

function sameArchitecture(a: Architecture, b: Architecture): boolean {
  return a.obsSize === b.obsSize && a.actions === b.actions && a.hidden === b.hidden && a.blocks === b.blocks && a.valueHidden === b.valueHidden;
}

/**
 * Adam's update count. The earlier TensorFlow.js trainer wrote it as int32
 * bits under an F32 label, and counted one process's updates only; the
 * checkpoint's step (every update so far) is the count its moments carry.
 */
function adamUpdates(saved: number | undefined, step: number): number {
  if (saved !== undefined && Number.isInteger(saved) && saved >= 0) return saved;
  return Number.isInteger(step) && step >= 0 ? step : 0;
}

/** Weights to start from for `--init <onnx>`, or null (with the reason) when there are none that fit. */
export async function loadInit(onnxPath: string, arch: Architecture): Promise<LoadedCheckpoint | { reason: string }> {
  const ckpt = checkpointPath(onnxPath);
  if (existsSync(ckpt)) {
    const { tensors, metadata } = decodeSafetensors(await readFile(ckpt), ckpt);
    const saved = JSON.parse(metadata.architecture ?? '{}') as Architecture;
    if (!sameArchitecture(saved, arch)) return { reason: `checkpoint ${ckpt} has another architecture (${JSON.stringify(saved)})` };
    const weights = new Map<string, Float32Array>();
    const average = new Map<string, Float32Array>();
    const adam: AdamState = { updates: adamUpdates(tensors['adam/iter']?.data[0], Number(metadata.step)), firstMoment: new Map(), secondMoment: new Map() };
    for (const [name, t] of Object.entries(tensors)) {
      const data = t.data as Float32Array;
      if (name.startsWith('weight/')) weights.set(name.slice(7), data);
      if (name.startsWith('average/')) average.set(name.slice(8), data);
      // Checkpoints of the earlier TensorFlow.js trainer prefix the weight's name with its variable scope (adam/net1/input.w/m).
      const moment = /^adam\/(?:net\d+\/)?(.+)\/([mv])$/.exec(name);
      if (moment) (moment[2] === 'm' ? adam.firstMoment : adam.secondMoment).set(moment[1]!, data);
    }
    // A partial average (a damaged or foreign checkpoint) is dropped: the average restarts at the weights.
    const complete = weightSpecs(arch).every((spec) => average.get(spec.name)?.length === weightSize(spec));
    const kept = complete ? ', their moving average' : '';
    const dropped = average.size > 0 && !complete ? '; its moving average is incomplete and restarts at the weights' : '';
    return { weights, adam, average: complete ? average : null, source: `checkpoint ${ckpt} (weights${kept} and optimizer state${dropped})` };
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
  return { weights, adam: null, average: null, source: `${onnxPath} (its weights; no optimizer state)` };
}

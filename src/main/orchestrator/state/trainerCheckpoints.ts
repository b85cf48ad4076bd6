/**
 * A trainer's checkpoints beside a model (docs/protocol.md, train): files named as the model with
 * `.ckpt.<extension>` for `.onnx`, the bundled trainer's `iter-0003.ckpt.safetensors` or a PyTorch
 * trainer's `iter-0003.ckpt.pt`. Retention keeps only the newest and the best model's, a branch
 * copies its starting model's, and the disk check counts them with the model.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A checkpoint's file name, with its model's iteration: iter-0003.ckpt.pt. */
export const CHECKPOINT_FILE = /^iter-(\d{4,})\.ckpt\.[^.]+(\.[^.]+)*$/;

const stem = (model: string) => basename(model).replace(/\.onnx$/, '');

/** The checkpoint files beside `model` (a path ending .onnx); temp files of an atomic write are not among them. */
export async function checkpointsOf(model: string): Promise<string[]> {
  const folder = dirname(model);
  if (!existsSync(folder)) return [];
  const prefix = `${stem(model)}.ckpt.`;
  return (await readdir(folder))
    .filter((name) => name.startsWith(prefix) && CHECKPOINT_FILE.test(name))
    .sort()
    .map((name) => join(folder, name));
}

/** Where `checkpoint` goes beside another model: iter-0003.ckpt.pt for iter-0000.onnx is iter-0000.ckpt.pt. */
export function checkpointBeside(checkpoint: string, model: string): string {
  const name = basename(checkpoint);
  return join(dirname(model), `${stem(model)}${name.slice(name.indexOf('.ckpt.'))}`);
}

/**
 * Writes the network as an ONNX graph: input `observation` [batch, obsSize],
 * outputs `policy_logits` [batch, actions] and `value` [batch, 1] — the names
 * of the process protocol, so any ONNX model with them plays in the engine.
 */
import { weightSpecs, type Architecture } from './architecture';
import { floatInitializer, forwardGraph, GraphBuilder, valueInfo } from './onnxGraph';
import { flushTiny } from './subnormals';

export function exportOnnx(arch: Architecture, weights: Map<string, Float32Array>): Uint8Array {
  const g = new GraphBuilder();
  for (const spec of weightSpecs(arch)) {
    const data = weights.get(spec.name);
    if (!data) throw new Error(`export: weight ${spec.name} is missing`);
    // Subnormal weights make ONNX Runtime several times slower on CPU (subnormals.ts).
    const flushed = Float32Array.from(data);
    flushTiny(flushed);
    g.initializers.push(floatInitializer(spec.name, spec.shape, flushed));
  }
  forwardGraph(g, arch, 'observation', (name) => name, { logits: 'policy_logits', value: 'value' });
  return g.encode('loopdeck-mlp', [valueInfo('observation', ['batch', arch.obsSize])], [valueInfo('policy_logits', ['batch', arch.actions]), valueInfo('value', ['batch', 1])]);
}

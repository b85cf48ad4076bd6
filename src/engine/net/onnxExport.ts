/**
 * Writes the network as an ONNX graph: input `observation` [batch, obsSize],
 * outputs `policy_logits` [batch, actions] and `value` [batch, 1] — the names
 * of the process protocol, so any ONNX model with them plays in the engine.
 */
import { onnx } from './onnxProto';
import type { OnnxTypes } from './onnxProto';
import { weightSpecs, type Architecture } from './architecture';
import { flushTiny } from './subnormals';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function valueInfo(name: string, dims: (number | string)[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  };
}

export function exportOnnx(arch: Architecture, weights: Map<string, Float32Array>): Uint8Array {
  const initializer: OnnxTypes.ITensorProto[] = weightSpecs(arch).map((spec) => {
    const data = weights.get(spec.name);
    if (!data) throw new Error(`export: weight ${spec.name} is missing`);
    // Subnormal weights make ONNX Runtime several times slower on CPU (network.ts, FLUSH_BELOW).
    const flushed = Float32Array.from(data);
    flushTiny(flushed);
    return { name: spec.name, dims: spec.shape, dataType: FLOAT, rawData: new Uint8Array(flushed.buffer) };
  });
  const nodes: OnnxTypes.INodeProto[] = [];
  const gemm = (input: string, layer: string, output: string) => nodes.push({ opType: 'Gemm', input: [input, `${layer}.w`, `${layer}.b`], output: [output], name: `${layer}.gemm` });
  const relu = (input: string, output: string) => nodes.push({ opType: 'Relu', input: [input], output: [output], name: `${output}.relu` });

  gemm('observation', 'input', 'h0.pre');
  relu('h0.pre', 'h0');
  let x = 'h0';
  for (let i = 0; i < arch.blocks; i++) {
    gemm(x, `block${i}.a`, `block${i}.a.pre`);
    relu(`block${i}.a.pre`, `block${i}.a.out`);
    gemm(`block${i}.a.out`, `block${i}.b`, `block${i}.b.out`);
    nodes.push({ opType: 'Add', input: [x, `block${i}.b.out`], output: [`block${i}.sum`], name: `block${i}.add` });
    relu(`block${i}.sum`, `block${i}.out`);
    x = `block${i}.out`;
  }
  gemm(x, 'policy', 'policy_logits');
  gemm(x, 'value1', 'value1.pre');
  relu('value1.pre', 'value1.out');
  gemm('value1.out', 'value2', 'value.pre');
  nodes.push({ opType: 'Tanh', input: ['value.pre'], output: ['value'], name: 'value.tanh' });

  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'loopdeck-engine',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'loopdeck-mlp',
      node: nodes,
      initializer,
      input: [valueInfo('observation', ['batch', arch.obsSize])],
      output: [valueInfo('policy_logits', ['batch', arch.actions]), valueInfo('value', ['batch', 1])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * Building ONNX graphs from JS: a small builder (fresh tensor names,
 * constants, attributes) and the network's forward pass, which both the
 * exported play-time model and the training step are made of.
 */
import { onnx } from './onnxProto';
import type { OnnxTypes } from './onnxProto';
import type { Architecture } from './architecture';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
/** The opset the graphs are written against (ReduceSum takes its axes as an input from 13 on). */
export const OPSET = 13;

type Attribute = number | number[];

export function valueInfo(name: string, dims: (number | string)[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  };
}

export function floatInitializer(name: string, dims: number[], data: Float32Array): OnnxTypes.ITensorProto {
  const copy = Float32Array.from(data);
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(copy.buffer) };
}

export class GraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly constants = new Map<string, string>();
  private names = 0;

  /** Adds one node and returns its (first) output's name: `output` if given, else a fresh one. */
  op(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}, output?: string): string {
    const name = output ?? `${opType.toLowerCase()}_${++this.names}`;
    const attribute = Object.entries(attributes).map(([key, value]) =>
      Array.isArray(value) ? { name: key, type: onnx.AttributeProto.AttributeType.INTS, ints: value } : { name: key, type: onnx.AttributeProto.AttributeType.INT, i: value },
    );
    this.nodes.push({ opType, input: inputs, output: [name], name: `${name}.node`, attribute });
    return name;
  }

  /** A float scalar constant (shape []), shared by every use of the same value. */
  scalar(value: number): string {
    const key = `f${value}`;
    let name = this.constants.get(key);
    if (!name) {
      name = `const_${this.constants.size}`;
      this.initializers.push(floatInitializer(name, [], Float32Array.of(value)));
      this.constants.set(key, name);
    }
    return name;
  }

  /** An int64 vector constant (axes, shapes). */
  ints(values: number[]): string {
    const key = `i${values.join(',')}`;
    let name = this.constants.get(key);
    if (!name) {
      name = `const_${this.constants.size}`;
      this.initializers.push({ name, dims: [values.length], dataType: INT64, int64Data: values });
      this.constants.set(key, name);
    }
    return name;
  }

  encode(name: string, inputs: OnnxTypes.IValueInfoProto[], outputs: OnnxTypes.IValueInfoProto[]): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'loopdeck-engine',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: { name, node: this.nodes, initializer: this.initializers, input: inputs, output: outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

/** The forward pass's tensors that the backward pass reads. */
export interface ForwardTensors {
  /** Input of each residual block, then the trunk's output (after the last block). */
  trunk: string[];
  /** Each block's first layer after its ReLU. */
  inner: string[];
  valueHidden: string;
  logits: string;
  /** tanh of the value head, [batch, 1]. */
  value: string;
}

/**
 * The network's forward pass: an input layer, residual blocks of two layers,
 * a policy head of logits and a tanh value head. `weight` maps a weight's
 * name (architecture.ts, weightSpecs) to its tensor in the graph.
 */
export function forwardGraph(g: GraphBuilder, arch: Architecture, observation: string, weight: (name: string) => string, outputs: { logits?: string; value?: string } = {}): ForwardTensors {
  const dense = (input: string, layer: string, output?: string) => g.op('Gemm', [input, weight(`${layer}.w`), weight(`${layer}.b`)], {}, output);
  const trunk = [g.op('Relu', [dense(observation, 'input')])];
  const inner: string[] = [];
  for (let i = 0; i < arch.blocks; i++) {
    const x = trunk[i]!;
    const a = g.op('Relu', [dense(x, `block${i}.a`)]);
    inner.push(a);
    trunk.push(g.op('Relu', [g.op('Add', [x, dense(a, `block${i}.b`)])]));
  }
  const h = trunk[arch.blocks]!;
  const logits = dense(h, 'policy', outputs.logits);
  const valueHidden = g.op('Relu', [dense(h, 'value1')]);
  const value = g.op('Tanh', [dense(valueHidden, 'value2')], {}, outputs.value);
  return { trunk, inner, valueHidden, logits, value };
}

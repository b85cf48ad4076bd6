/**
 * The bundled network: an MLP with a residual trunk, a policy head (logits
 * over every action) and a tanh value head. An MLP because, on CPUs with
 * two cores, its training step is a few matrix products (see trainGraph.ts)
 * and a small ResNet's is not — see docs/engine.md, Network.
 */
import { gameSpec } from '../../shared/games';
import type { Rng } from '../../shared/random';

export interface Architecture {
  obsSize: number;
  actions: number;
  hidden: number;
  blocks: number;
  valueHidden: number;
}

export interface WeightSpec {
  name: string;
  shape: number[];
}

/** The network for a game: its observation and actions, and the trunk its GameSpec names. */
export function architectureFor(game: { id: string; obsSize: number; actions: number }): Architecture {
  return { obsSize: game.obsSize, actions: game.actions, ...gameSpec(game.id).network };
}

/** Every weight in a fixed order, shared by training, checkpoints and ONNX export. */
export function weightSpecs(a: Architecture): WeightSpec[] {
  const specs: WeightSpec[] = [
    { name: 'input.w', shape: [a.obsSize, a.hidden] },
    { name: 'input.b', shape: [a.hidden] },
  ];
  for (let i = 0; i < a.blocks; i++) {
    specs.push(
      { name: `block${i}.a.w`, shape: [a.hidden, a.hidden] },
      { name: `block${i}.a.b`, shape: [a.hidden] },
      { name: `block${i}.b.w`, shape: [a.hidden, a.hidden] },
      { name: `block${i}.b.b`, shape: [a.hidden] },
    );
  }
  specs.push(
    { name: 'policy.w', shape: [a.hidden, a.actions] },
    { name: 'policy.b', shape: [a.actions] },
    { name: 'value1.w', shape: [a.hidden, a.valueHidden] },
    { name: 'value1.b', shape: [a.valueHidden] },
    { name: 'value2.w', shape: [a.valueHidden, 1] },
    { name: 'value2.b', shape: [1] },
  );
  return specs;
}

/** Elements of one weight. */
export function weightSize(spec: WeightSpec): number {
  return spec.shape.reduce((a, b) => a * b, 1);
}

/** Elements of every weight of the network. */
export function weightCount(a: Architecture): number {
  return weightSpecs(a).reduce((sum, spec) => sum + weightSize(spec), 0);
}

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng());
}

/** He-initialised weights, zero biases; the output layers small so early values and priors stay near uniform. */
export function initialWeights(a: Architecture, rng: Rng): Map<string, Float32Array> {
  const weights = new Map<string, Float32Array>();
  for (const spec of weightSpecs(a)) {
    const data = new Float32Array(weightSize(spec));
    if (spec.shape.length === 2) {
      const scale = Math.sqrt(2 / spec.shape[0]!) * (spec.name.startsWith('value2') || spec.name.startsWith('policy') ? 0.1 : 1);
      for (let i = 0; i < data.length; i++) data[i] = gaussian(rng) * scale;
    }
    weights.set(spec.name, data);
  }
  return weights;
}

/**
 * One training step as an ONNX graph: the forward pass, the loss, its
 * gradients written out by hand (the network is a small MLP, so the chain
 * rule fits on a page), global-norm clipping and Adam. Weights and Adam's
 * moments go in as inputs and come out updated, so ONNX Runtime's
 * multi-threaded kernels do all the arithmetic of training.
 *
 * Loss, over a batch of B rows:
 *   policy = -mean_b sum_a target·logsoftmax(logits masked to legal moves)
 *   value  = mean_b (tanh head - z)²
 *   loss   = policy + value + WEIGHT_DECAY · sum of squared matrix weights
 */
import { weightSpecs, type Architecture } from './architecture';
import { forwardGraph, GraphBuilder, valueInfo } from './onnxGraph';

export const WEIGHT_DECAY = 1e-4;
/** Gradients are scaled down so that their global norm is at most this. */
export const CLIP_NORM = 5;
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;
/** Logit added to illegal moves, so they take no probability. */
const ILLEGAL_LOGIT = -1e9;

/** Graph input and output names. */
export const TrainNames = {
  weight: (name: string) => `weight/${name}`,
  firstMoment: (name: string) => `adam_m/${name}`,
  secondMoment: (name: string) => `adam_v/${name}`,
  updated: (input: string) => `new_${input}`,
  /** Scalars fed each step: the learning rate and Adam's bias corrections 1/(1-β1^t) and 1/(1-β2^t). */
  learningRate: 'learning_rate',
  firstCorrection: 'first_moment_correction',
  secondCorrection: 'second_moment_correction',
  losses: ['loss', 'policy_loss', 'value_loss', 'gradient_norm'] as const,
} as const;

export function buildTrainGraph(arch: Architecture): Uint8Array {
  const g = new GraphBuilder();
  const specs = weightSpecs(arch);
  const w = (name: string) => TrainNames.weight(name);
  const reluGrad = (activated: string, upstream: string) => g.op('Where', [g.op('Greater', [activated, g.scalar(0)]), upstream, g.scalar(0)]);
  const rowSum = (x: string) => g.op('ReduceSum', [x, g.ints([0])], { keepdims: 0 });
  /** xᵀ·y and x·Wᵀ without materialising a transpose. */
  const outer = (x: string, y: string) => g.op('Gemm', [x, y], { transA: 1 });
  const back = (d: string, weight: string) => g.op('Gemm', [d, weight], { transB: 1 });

  const f = forwardGraph(g, arch, 'observation', w);
  const invBatch = g.op('Reciprocal', [g.op('Cast', [g.op('Shape', ['value'])], { to: 1 })]);

  // Policy: cross-entropy of the masked log-softmax; its gradient is softmax·sum(target) - target.
  const masked = g.op('Add', [f.logits, g.op('Mul', [g.op('Sub', ['legal', g.scalar(1)]), g.scalar(-ILLEGAL_LOGIT)])]);
  const logProbs = g.op('LogSoftmax', [masked], { axis: 1 });
  const policyLoss = g.op('Neg', [g.op('ReduceMean', [g.op('ReduceSum', [g.op('Mul', ['policy', logProbs]), g.ints([1])], { keepdims: 0 })], { keepdims: 0 })], {}, 'policy_loss');
  const targetMass = g.op('ReduceSum', ['policy', g.ints([1])], { keepdims: 1 });
  const dLogits = g.op('Mul', [g.op('Sub', [g.op('Mul', [g.op('Exp', [logProbs]), targetMass]), 'policy']), invBatch]);

  // Value: squared error of tanh; d/dpre = 2(v - z)(1 - v²)/B.
  const v = g.op('Reshape', [f.value, g.ints([-1])]);
  const error = g.op('Sub', [v, 'value']);
  const valueLoss = g.op('ReduceMean', [g.op('Mul', [error, error])], { keepdims: 0 }, 'value_loss');
  const tanhGrad = g.op('Sub', [g.scalar(1), g.op('Mul', [v, v])]);
  const dValuePre = g.op('Reshape', [g.op('Mul', [g.op('Mul', [error, tanhGrad]), g.op('Mul', [invBatch, g.scalar(2)])]), g.ints([-1, 1])]);

  const grads = new Map<string, string>();
  const dense = (layer: string, input: string, dOut: string) => {
    grads.set(`${layer}.w`, outer(input, dOut));
    grads.set(`${layer}.b`, rowSum(dOut));
  };
  const h = f.trunk[arch.blocks]!;
  dense('value2', f.valueHidden, dValuePre);
  const dValueHidden = reluGrad(f.valueHidden, back(dValuePre, w('value2.w')));
  dense('value1', h, dValueHidden);
  dense('policy', h, dLogits);
  let dTrunk = g.op('Add', [back(dLogits, w('policy.w')), back(dValueHidden, w('value1.w'))]);
  for (let i = arch.blocks - 1; i >= 0; i--) {
    const dSum = reluGrad(f.trunk[i + 1]!, dTrunk);
    dense(`block${i}.b`, f.inner[i]!, dSum);
    const dInner = reluGrad(f.inner[i]!, back(dSum, w(`block${i}.b.w`)));
    dense(`block${i}.a`, f.trunk[i]!, dInner);
    dTrunk = g.op('Add', [dSum, back(dInner, w(`block${i}.a.w`))]);
  }
  dense('input', 'observation', reluGrad(f.trunk[0]!, dTrunk));

  // Weight decay on the matrices, in the loss and in their gradients.
  const matrices = specs.filter((s) => s.name.endsWith('.w'));
  const squares = matrices.map((s) => g.op('ReduceSum', [g.op('Mul', [w(s.name), w(s.name)])], { keepdims: 0 }));
  const decay = g.op('Mul', [g.op('Sum', squares), g.scalar(WEIGHT_DECAY)]);
  g.op('Add', [g.op('Add', [policyLoss, valueLoss]), decay], {}, 'loss');
  for (const s of matrices) grads.set(s.name, g.op('Add', [grads.get(s.name)!, g.op('Mul', [w(s.name), g.scalar(2 * WEIGHT_DECAY)])]));

  const norm = g.op(
    'Sqrt',
    [
      g.op(
        'Sum',
        specs.map((s) => g.op('ReduceSum', [g.op('Mul', [grads.get(s.name)!, grads.get(s.name)!])], { keepdims: 0 })),
      ),
    ],
    {},
    'gradient_norm',
  );
  const clip = g.op('Min', [g.scalar(1), g.op('Div', [g.scalar(CLIP_NORM), g.op('Add', [norm, g.scalar(1e-6)])])]);

  for (const s of specs) {
    const grad = g.op('Mul', [grads.get(s.name)!, clip]);
    const m = TrainNames.firstMoment(s.name);
    const sq = TrainNames.secondMoment(s.name);
    const newM = g.op('Add', [g.op('Mul', [m, g.scalar(ADAM.beta1)]), g.op('Mul', [grad, g.scalar(1 - ADAM.beta1)])], {}, TrainNames.updated(m));
    const newV = g.op('Add', [g.op('Mul', [sq, g.scalar(ADAM.beta2)]), g.op('Mul', [g.op('Mul', [grad, grad]), g.scalar(1 - ADAM.beta2)])], {}, TrainNames.updated(sq));
    const corrected = g.op('Div', [g.op('Mul', [newM, TrainNames.firstCorrection]), g.op('Add', [g.op('Sqrt', [g.op('Mul', [newV, TrainNames.secondCorrection])]), g.scalar(ADAM.epsilon)])]);
    g.op('Sub', [w(s.name), g.op('Mul', [corrected, TrainNames.learningRate])], {}, TrainNames.updated(w(s.name)));
  }

  const perWeight = (name: (weight: string) => string) => specs.map((s) => valueInfo(name(s.name), s.shape));
  const inputs = [
    valueInfo('observation', ['batch', arch.obsSize]),
    valueInfo('policy', ['batch', arch.actions]),
    valueInfo('value', ['batch']),
    valueInfo('legal', ['batch', arch.actions]),
    valueInfo(TrainNames.learningRate, []),
    valueInfo(TrainNames.firstCorrection, []),
    valueInfo(TrainNames.secondCorrection, []),
    ...perWeight(TrainNames.weight),
    ...perWeight(TrainNames.firstMoment),
    ...perWeight(TrainNames.secondMoment),
  ];
  const outputs = [
    ...TrainNames.losses.map((name) => valueInfo(name, [])),
    ...specs.map((s) => valueInfo(TrainNames.updated(TrainNames.weight(s.name)), s.shape)),
    ...specs.map((s) => valueInfo(TrainNames.updated(TrainNames.firstMoment(s.name)), s.shape)),
    ...specs.map((s) => valueInfo(TrainNames.updated(TrainNames.secondMoment(s.name)), s.shape)),
  ];
  return g.encode('loopdeck-train-step', inputs, outputs);
}

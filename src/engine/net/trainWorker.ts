/** A training thread of ParallelTrainer: gradients of its rows of the shared batch, at the shared weights. */
import { parentPort, workerData } from 'node:worker_threads';
import { unflattenWeights } from './architecture';
import { Network, writeFlat } from './network';
import { sharedBatchViews, Slot, STOP, type WorkerSetup } from './parallelTrainer';
import { initTf } from './tf';

const setup = workerData as WorkerSetup;
const control = new Int32Array(setup.control);

function fail(error: unknown): void {
  Atomics.store(control, Slot.Failed, 1);
  Atomics.notify(control, Slot.Done);
  parentPort!.postMessage(error instanceof Error ? error.message : String(error));
}

try {
  await initTf();
  const weights = new Float32Array(setup.weights);
  const network = new Network(setup.arch, unflattenWeights(setup.arch, weights));
  const gradients = new Float32Array(setup.gradients);
  const losses = new Float64Array(setup.losses);
  const batch = sharedBatchViews(setup.batch, setup.batchSize);

  let seen = 0;
  for (;;) {
    Atomics.wait(control, Slot.Request, seen);
    const step = Atomics.load(control, Slot.Request);
    if (step === STOP) break;
    if (step === seen) continue;
    seen = step;
    network.readWeightsFrom(weights);
    const { grads, losses: stepLosses } = network.gradients(batch, Atomics.load(control, Slot.From), Atomics.load(control, Slot.To));
    writeFlat(
      [...network.variables.values()].map((variable) => grads[variable.name]!),
      gradients,
    );
    for (const g of Object.values(grads)) g.dispose();
    losses[0] = stepLosses.loss;
    losses[1] = stepLosses.policyLoss;
    losses[2] = stepLosses.valueLoss;
    Atomics.store(control, Slot.Done, step);
    Atomics.notify(control, Slot.Done);
  }
} catch (error) {
  fail(error);
}

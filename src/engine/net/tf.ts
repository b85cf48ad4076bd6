/**
 * TensorFlow.js on its WebAssembly backend (one core per process). The
 * layers package is imported for its side effect: it registers the gradients
 * that training needs.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | null = null;

export function initTf(): Promise<void> {
  ready ??= (async () => {
    if (!(await tf.setBackend('wasm'))) throw new Error('the TensorFlow.js WebAssembly backend did not start');
    await tf.ready();
  })();
  return ready;
}

export { tf };

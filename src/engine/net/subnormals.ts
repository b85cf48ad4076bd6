/** Keeping float32 subnormals out of the weights. */
/**
 * Values smaller than this are set to zero. Weights that no data reaches (a
 * plane's never-active cells) shrink under weight decay into float32's
 * subnormal range, and subnormal arithmetic is slow on x86 without
 * flush-to-zero, which neither wasm nor ONNX Runtime's calling thread sets:
 * measured, a model with 3,000 subnormal weights of 102,000 ran 9x slower in
 * ONNX Runtime (22,000 against 190,000 positions/s). Far below any weight
 * that matters, far above float32's smallest normal (1.2e-38).
 */
export const FLUSH_BELOW = 1e-30;
/** The values with magnitude below FLUSH_BELOW set to zero; returns how many there were. */
export function flushTiny(data: Float32Array): number {
  let flushed = 0;
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (x !== 0 && x > -FLUSH_BELOW && x < FLUSH_BELOW) {
      data[i] = 0;
      flushed++;
    }
  }
  return flushed;
}

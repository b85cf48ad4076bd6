/**
 * Replay shards: safetensors files holding `observation` [n, obsSize] f32,
 * `policy` [n, actions] f32, `value` [n] f32 and `legal` [n, actions] u8.
 * Implemented by the replay work (issue 3); this is the contract.
 */
export interface ShardData {
  count: number;
  obsSize: number;
  actions: number;
  observation: Float32Array;
  policy: Float32Array;
  value: Float32Array;
  legal: Uint8Array;
}

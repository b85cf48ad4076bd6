/**
 * Replay shards: safetensors files holding `observation` [n, obsSize] f32,
 * `policy` [n, actions] f32, `value` [n] f32 (the game's result) and `legal`
 * [n, actions] u8, and optionally `search_value` [n] f32 (the root value of
 * the search that chose the move), all for the player to move.
 */
export interface ShardData {
  count: number;
  obsSize: number;
  actions: number;
  observation: Float32Array;
  policy: Float32Array;
  value: Float32Array;
  legal: Uint8Array;
  searchValue?: Float32Array;
}

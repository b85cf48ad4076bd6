/** The self-play simulation ramp (docs/protocol.md): min(startSims + (i-1) * simRampRate, maxSims). */
import type { LoopConfig } from './config/fields';

/** Simulations per move in self-play of iteration i (1-based). */
export function simsForIteration(config: Pick<LoopConfig, 'startSims' | 'maxSims' | 'simRampRate'>, iteration: number): number {
  return Math.min(config.startSims + (iteration - 1) * config.simRampRate, config.maxSims);
}

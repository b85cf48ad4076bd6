/** Default settings: one value for every game, and each game's own (its GameSpec). */
import { GAME_SPECS } from '../games';
import type { GameId } from '../games/ids';
import type { CommonSettingKey, LoopConfig } from './fields';

const COMMON_DEFAULTS = {
  runsDir: 'runs',
  timeBudgetMinutes: 0,
  selfplayModel: 'best',
  overlapSelfplay: true,
  lrCooldown: 0,
  // 50 iterations of Connect Four replay: about 110 MB packed.
  keepReplayIterations: 50,
  evalInterval: 1,
  evalVsRandom: true,
  recordSelfplayGames: 2,
  maxRetries: 2,
  stallTimeout: 300,
  actorCommand: null,
  trainerCommand: null,
  arenaCommand: null,
  notifyCommand: null,
  executor: 'local',
  slurmPartition: '',
  slurmAccount: '',
  slurmTimeLimit: '24:00:00',
  slurmCpusPerTask: 1,
  slurmTrainerArgs: null,
  slurmExtraArgs: null,
  seed: 1,
} as const satisfies Pick<LoopConfig, CommonSettingKey>;

export const DEFAULT_GAME: GameId = 'tictactoe';

export function defaultConfig(game: GameId = DEFAULT_GAME, name?: string): LoopConfig {
  return { name: name ?? defaultRunName(game), game, ...COMMON_DEFAULTS, ...GAME_SPECS[game].defaults };
}

export function defaultRunName(game: GameId, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${game}-${stamp}`;
}

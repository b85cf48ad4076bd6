/** Default settings: one value for every game, each bundled game's own (its GameSpec), and a start for any other game. */
import { GAME_SPECS } from '../games';
import { isGameId } from '../games/ids';
import type { CommonSettingKey, GameDefaults, LoopConfig } from './fields';

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

/**
 * Where a game Loopdeck was not tuned for starts (an engine's own): small iterations that show
 * learning within minutes for a board game of tic-tac-toe's to Othello's size on two cores; a run's
 * curves say what to raise.
 */
const ANY_GAME_DEFAULTS: GameDefaults = {
  iterations: 50,
  episodesPerIteration: 100,
  stepsPerIteration: 200,
  numActors: 2,
  startSims: 32,
  maxSims: 100,
  simRampRate: 8,
  tempThreshold: 8,
  batchSize: 256,
  learningRate: 0.002,
  replayWindow: 8,
  evalGames: 40,
  evalSims: 32,
  ladderGames: 10,
  gateThreshold: 0.55,
};

export const DEFAULT_GAME = 'tictactoe';

export function defaultConfig(game: string = DEFAULT_GAME, name?: string): LoopConfig {
  return { name: name ?? defaultRunName(game), game, ...COMMON_DEFAULTS, ...(isGameId(game) ? GAME_SPECS[game].defaults : ANY_GAME_DEFAULTS) };
}

export function defaultRunName(game: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${game}-${stamp}`;
}

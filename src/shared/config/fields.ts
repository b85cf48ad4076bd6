/**
 * LoopConfig: every setting of a training run, described once. The field
 * table drives validation (validate.ts), the CLI flags, the TOML keys, the
 * LOOPDECK_* environment variables and the New run form's labels.
 */

export type SelfplayModel = 'best' | 'latest';
export type Executor = 'local' | 'slurm';

export interface LoopConfig {
  name: string;
  runsDir: string;
  /** A game the actor engine declares (protocol `games`). */
  game: string;
  iterations: number;
  /** Minutes of iteration time after which the run completes at the next iteration boundary; 0 for none. */
  timeBudgetMinutes: number;
  episodesPerIteration: number;
  stepsPerIteration: number;
  numActors: number;
  startSims: number;
  maxSims: number;
  simRampRate: number;
  tempThreshold: number;
  batchSize: number;
  learningRate: number;
  /** Share of the run (its time budget, else its iteration target) over whose end the learning rate falls to a tenth. */
  lrCooldown: number;
  replayWindow: number;
  /** Iterations whose replay stays on disk, newest first (at least replayWindow); 0 keeps all. */
  keepReplayIterations: number;
  selfplayModel: SelfplayModel;
  /** The next iteration's self-play runs beside this one's training and evaluation, one gate behind. */
  overlapSelfplay: boolean;
  evalInterval: number;
  evalGames: number;
  evalSims: number;
  gateThreshold: number;
  evalVsRandom: boolean;
  /** Games per ladder pairing after each evaluation; 0 turns the ladder off. */
  ladderGames: number;
  /** Self-play games each actor reports as records per iteration. */
  recordSelfplayGames: number;
  maxRetries: number;
  /** Seconds a child process may go without printing anything before it is killed as hung. */
  stallTimeout: number;
  /** argv arrays; null means the bundled engine. */
  actorCommand: string[] | null;
  trainerCommand: string[] | null;
  arenaCommand: string[] | null;
  /** Run for each notice (run failed, stopped or completed, new best, disk low, rating plateau) with the notice as JSON on stdin; null for none. */
  notifyCommand: string[] | null;
  /** Where engine processes run: here, or as Slurm job steps (docs/slurm.md). */
  executor: Executor;
  /** Slurm partition of the run's allocation; empty for the cluster's default. */
  slurmPartition: string;
  slurmAccount: string;
  /** Time limit of the run's allocation, in Slurm's format. */
  slurmTimeLimit: string;
  /** CPUs of each engine process's job step. */
  slurmCpusPerTask: number;
  /** Extra srun arguments that give the trainer its own allocation (e.g. --gpus=1 -p gpu); empty: a step of the run's allocation. */
  slurmTrainerArgs: string[] | null;
  /** Extra sbatch arguments for the run's allocation. */
  slurmExtraArgs: string[] | null;
  seed: number;
}

export type LoopConfigKey = keyof LoopConfig;
/** What a user may hand in: any subset, values possibly as strings (flags, env, form). */
export type LoopConfigInput = { [K in LoopConfigKey]?: unknown };

type FieldKind = 'int' | 'number' | 'string' | 'text' | 'boolean' | 'enum' | 'command';

export interface FieldSpec {
  key: LoopConfigKey;
  kind: FieldKind;
  label: string;
  help: string;
  min?: number;
  max?: number;
  options?: readonly string[];
  /** Shown in the form's main section; the rest sit under "Advanced". */
  main?: boolean;
  /** Set once when the run is created; the reason, and what to do instead. */
  fixed?: string;
  /** A text that may be empty: what a non-empty one must look like, and how to say it. */
  pattern?: { regex: RegExp; describe: string };
}

export const CONFIG_FIELDS: readonly FieldSpec[] = [
  {
    key: 'name',
    kind: 'string',
    label: 'Run name',
    main: true,
    help: 'Folder name of the run: letters, digits, dot, dash and underscore.',
    fixed: "the name is the run's folder; branch the run under a new name instead",
  },
  { key: 'runsDir', kind: 'string', label: 'Runs folder', help: 'Folder that holds every run.', fixed: 'the run lives in its folder; branch it into another runs folder instead' },
  {
    key: 'game',
    kind: 'string',
    label: 'Game',
    main: true,
    help: 'Game to learn: one the actor engine declares (the bundled engine: tictactoe, connect4, othello6).',
    fixed: "the models learn one game (their network shape is the game's); start a new run for another game",
  },
  { key: 'iterations', kind: 'int', label: 'Iterations', min: 1, max: 100_000, main: true, help: 'Target total of iterations for the run.' },
  {
    key: 'timeBudgetMinutes',
    kind: 'number',
    label: 'Time budget (minutes)',
    min: 0,
    max: 1_000_000,
    help: 'The run completes at the first iteration boundary after this many minutes of iteration time (all sessions together), so runs compare at equal compute; 0 for no budget.',
  },
  { key: 'episodesPerIteration', kind: 'int', label: 'Episodes per iteration', min: 1, max: 10_000_000, main: true, help: 'Self-play games per iteration, shared among the actors.' },
  { key: 'stepsPerIteration', kind: 'int', label: 'Training steps per iteration', min: 1, max: 10_000_000, main: true, help: 'Gradient steps the trainer takes per iteration.' },
  { key: 'numActors', kind: 'int', label: 'Actors', min: 1, max: 256, main: true, help: 'Self-play processes run at once.' },
  { key: 'startSims', kind: 'int', label: 'Start simulations', min: 1, max: 100_000, help: 'MCTS simulations per move in iteration 1.' },
  { key: 'maxSims', kind: 'int', label: 'Max simulations', min: 1, max: 100_000, help: 'Upper bound of the simulation ramp.' },
  { key: 'simRampRate', kind: 'int', label: 'Simulation ramp', min: 0, max: 100_000, help: 'Simulations added per iteration.' },
  { key: 'tempThreshold', kind: 'int', label: 'Temperature threshold', min: 0, max: 10_000, help: 'Plies played at temperature 1 before a low temperature (0: always 1).' },
  { key: 'batchSize', kind: 'int', label: 'Batch size', min: 1, max: 65_536, help: 'Training batch size.' },
  { key: 'learningRate', kind: 'number', label: 'Learning rate', min: 1e-7, max: 1, help: 'Peak learning rate of the trainer.' },
  {
    key: 'lrCooldown',
    kind: 'number',
    label: 'Learning-rate cooldown',
    min: 0,
    max: 1,
    help: "Share of the run's end (of its time budget, else of its iteration target) over which the learning rate falls linearly to a tenth; 0 keeps it at its peak.",
  },
  { key: 'replayWindow', kind: 'int', label: 'Replay window', min: 1, max: 10_000, help: 'Iterations of self-play positions the trainer samples from.' },
  {
    key: 'keepReplayIterations',
    kind: 'int',
    label: 'Replay kept',
    min: 0,
    max: 1_000_000,
    help: "Iterations whose self-play positions stay on disk, newest first: the trainer's window and what a branch with its replay can start from. Older replay is deleted, and the journal says what. 0 keeps all.",
  },
  {
    key: 'selfplayModel',
    kind: 'enum',
    label: 'Self-play model',
    options: ['best', 'latest'],
    help: 'Model the actors play with: the best model (gated) or the latest one (with overlapped self-play, as of when its self-play starts).',
  },
  {
    key: 'overlapSelfplay',
    kind: 'boolean',
    label: 'Overlap self-play',
    help: "Start the next iteration's self-play while this one trains and evaluates, so that no core idles; it plays the best model known when it starts, one gate behind. Off: one phase after another.",
  },
  { key: 'evalInterval', kind: 'int', label: 'Evaluation interval', min: 1, max: 10_000, help: 'Evaluate every this many iterations.' },
  { key: 'evalGames', kind: 'int', label: 'Evaluation games', min: 2, max: 100_000, help: 'Games against the best model (and against random), colours alternated.' },
  { key: 'evalSims', kind: 'int', label: 'Evaluation simulations', min: 1, max: 100_000, help: 'MCTS simulations per move in evaluation games.' },
  { key: 'gateThreshold', kind: 'number', label: 'Gate threshold', min: 0, max: 1, help: 'Score (wins + draws/2) / games above which a new model becomes best.' },
  { key: 'evalVsRandom', kind: 'boolean', label: 'Evaluate against random', help: 'Also play the new model against a uniformly random player.' },
  {
    key: 'ladderGames',
    kind: 'int',
    label: 'Ladder games',
    min: 0,
    max: 100_000,
    help: 'Games per pairing of the rating ladder after each evaluation (models 1, 3 and 10 iterations back, and the nearest reference player, above and below the model in turn); 0 turns it off.',
  },
  { key: 'recordSelfplayGames', kind: 'int', label: 'Recorded self-play games', min: 0, max: 10_000, help: 'Self-play games per actor and iteration kept as records for the game viewer.' },
  { key: 'maxRetries', kind: 'int', label: 'Retries', min: 0, max: 100, help: 'Retries of a failed process before the run stops.' },
  { key: 'stallTimeout', kind: 'number', label: 'Stall timeout (s)', min: 1, max: 86_400, help: 'Seconds without output after which a process counts as hung and is killed.' },
  { key: 'actorCommand', kind: 'command', label: 'Actor command', help: 'Command line of the self-play actor; empty for the bundled engine.' },
  { key: 'trainerCommand', kind: 'command', label: 'Trainer command', help: 'Command line of the trainer; empty for the bundled engine.' },
  { key: 'arenaCommand', kind: 'command', label: 'Arena command', help: 'Command line of the arena; empty for the bundled engine.' },
  {
    key: 'notifyCommand',
    kind: 'command',
    label: 'Notify command',
    help: 'Command run for each notice (the run failed, stopped or completed, a new best model, the disk low, the rating on a plateau) with the notice as JSON on stdin: a mail or chat script, for runs nobody watches. Empty for none.',
  },
  { key: 'executor', kind: 'enum', label: 'Executor', options: ['local', 'slurm'], help: 'Where the engine processes run: on this machine, or as job steps of a Slurm allocation (docs/slurm.md).' },
  {
    key: 'slurmPartition',
    kind: 'text',
    label: 'Slurm partition',
    pattern: { regex: /^[A-Za-z0-9_.,-]{1,64}$/, describe: 'a partition name (letters, digits, "_", ".", "-"), or empty for the default' },
    help: "Partition of the run's allocation; empty for the cluster's default.",
  },
  {
    key: 'slurmAccount',
    kind: 'text',
    label: 'Slurm account',
    pattern: { regex: /^[A-Za-z0-9_.-]{1,64}$/, describe: 'an account name (letters, digits, "_", ".", "-"), or empty for your default' },
    help: 'Account charged for the allocation; empty for your default.',
  },
  {
    key: 'slurmTimeLimit',
    kind: 'text',
    label: 'Slurm time limit',
    pattern: { regex: /^(\d+-)?\d+(:\d{1,2}){0,2}$|^\d+-\d+$/, describe: 'a Slurm time such as 90, 12:00:00 or 2-00:00:00' },
    help: "Time limit of the run's allocation (minutes, or [days-]hours:minutes:seconds); a job is always submitted with one.",
  },
  { key: 'slurmCpusPerTask', kind: 'int', label: 'Slurm CPUs per process', min: 1, max: 1024, help: "CPUs of each engine process's job step." },
  {
    key: 'slurmTrainerArgs',
    kind: 'command',
    label: 'Slurm trainer arguments',
    help: "Extra srun arguments that give the trainer an allocation of its own (e.g. --gpus=1 -p gpu); empty: the trainer is a step of the run's allocation.",
  },
  { key: 'slurmExtraArgs', kind: 'command', label: 'Slurm extra arguments', help: "Extra sbatch arguments for the run's allocation (e.g. --qos=normal)." },
  { key: 'seed', kind: 'int', label: 'Seed', min: 0, max: 2 ** 31 - 1, help: 'Seed of every random choice in the run.' },
];

export const FIELD_BY_KEY: Readonly<Record<LoopConfigKey, FieldSpec>> = Object.fromEntries(CONFIG_FIELDS.map((f) => [f.key, f])) as Record<LoopConfigKey, FieldSpec>;

/** `episodesPerIteration` -> `--episodes-per-iteration`. */
export function flagName(key: LoopConfigKey): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** `episodesPerIteration` -> `LOOPDECK_EPISODES_PER_ITERATION`. */
export function envName(key: LoopConfigKey): string {
  return `LOOPDECK_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** `episodesPerIteration` -> `episodes_per_iteration` (the projections' field style). */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Settings with one default for every game (defaults.ts); a game's spec tunes the others. */
export type CommonSettingKey =
  | 'runsDir'
  | 'timeBudgetMinutes'
  | 'selfplayModel'
  | 'overlapSelfplay'
  | 'lrCooldown'
  | 'keepReplayIterations'
  | 'evalInterval'
  | 'evalVsRandom'
  | 'recordSelfplayGames'
  | 'maxRetries'
  | 'stallTimeout'
  | 'actorCommand'
  | 'trainerCommand'
  | 'arenaCommand'
  | 'notifyCommand'
  | 'executor'
  | 'slurmPartition'
  | 'slurmAccount'
  | 'slurmTimeLimit'
  | 'slurmCpusPerTask'
  | 'slurmTrainerArgs'
  | 'slurmExtraArgs'
  | 'seed';

/** The settings each game tunes (its GameSpec's defaults); the time budget it may tune too. */
export type GameDefaults = Omit<LoopConfig, 'name' | 'game' | CommonSettingKey> & Partial<Pick<LoopConfig, 'timeBudgetMinutes'>>;

/**
 * loopdeck-engine: the bundled engine's entry. Each subcommand lives in
 * commands/<name>.ts and exports `run(argv): Promise<number>` (the exit code).
 */
import { lifelineRequested, watchLease, watchParent } from './lifeline';

const SUBCOMMANDS = {
  selfplay: () => import('./commands/selfplay'),
  train: () => import('./commands/train'),
  arena: () => import('./commands/arena'),
  bestmove: () => import('./commands/bestmove'),
  games: () => import('./commands/games'),
  board: () => import('./commands/board'),
  version: () => import('./commands/version'),
} as const;

type Subcommand = keyof typeof SUBCOMMANDS;

/** Subcommands whose stdin is their input, not the lifeline (games and version read none, and are asked by hand too). */
const STDIN_SUBCOMMANDS = new Set(['bestmove', 'board', 'games', 'version']);

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || !(name in SUBCOMMANDS)) {
    process.stderr.write(`usage: loopdeck-engine <${Object.keys(SUBCOMMANDS).join('|')}> [flags]\n${name ? `unknown subcommand "${name}"\n` : ''}`);
    return 2;
  }
  if (lifelineRequested()) watchParent({ stdin: !STDIN_SUBCOMMANDS.has(name) });
  watchLease();
  const command = await SUBCOMMANDS[name as Subcommand]();
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Errors are for users (a bad flag, an unknown game, a model of the wrong shape): the message, not a stack.
    const detail = error instanceof Error ? (process.env.LOOPDECK_DEBUG ? (error.stack ?? error.message) : error.message) : String(error);
    process.stderr.write(`loopdeck-engine: ${detail}\n`);
    process.exitCode = 1;
  },
);

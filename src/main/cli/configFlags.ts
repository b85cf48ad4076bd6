/** Every setting as a flag of a command (--episodes-per-iteration, --no-eval-vs-random), and back into settings. */
import { type Command, Option } from 'commander';
import { CONFIG_FIELDS, flagName, type LoopConfigInput } from '../../shared/config/fields';

export function configFlags(command: Command): Command {
  for (const spec of CONFIG_FIELDS) {
    if (spec.kind === 'boolean') {
      command.addOption(new Option(flagName(spec.key), spec.help));
      command.addOption(new Option(`--no-${flagName(spec.key).slice(2)}`, `do not: ${spec.help.toLowerCase()}`));
    } else {
      command.addOption(new Option(`${flagName(spec.key)} <value>`, spec.help));
    }
  }
  return command;
}

export function flagsFrom(options: Record<string, unknown>): LoopConfigInput {
  const flags: LoopConfigInput = {};
  for (const spec of CONFIG_FIELDS) if (options[spec.key] !== undefined) flags[spec.key] = options[spec.key];
  return flags;
}

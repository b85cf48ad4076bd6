/**
 * Resolving a LoopConfig from its sources, lowest first: the game's defaults,
 * a TOML config file, LOOPDECK_* environment variables, command-line flags.
 * Validation is the shared field table's (src/shared/config.ts); this module
 * only gathers values and remembers which source set each one.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseToml, TomlError } from 'smol-toml';
import { CONFIG_FIELDS, envName, FIELD_BY_KEY, flagName, type LoopConfig, type LoopConfigInput, type LoopConfigKey } from '../../shared/config/fields';
import { defaultConfig } from '../../shared/config/defaults';
import { coerceField, formatConfigErrors, validateConfig, type ConfigError } from '../../shared/config/validate';

export type { IterationStats } from '../../shared/stats';
export type { LoopConfig } from '../../shared/config/fields';

export type ConfigSource = 'default' | 'file' | 'env' | 'flag';

/**
 * The runs folder the CLI, `loopdeck serve` and the app use by default, so a run started in one
 * shows in the others: LOOPDECK_RUNS_DIR, else runsDir's default (./runs of where they start).
 */
export function defaultRunsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[envName('runsDir')] || defaultConfig().runsDir;
}

export interface ResolvedConfig {
  config: LoopConfig;
  sources: Record<LoopConfigKey, ConfigSource>;
}

export class ConfigValidationError extends Error {
  constructor(readonly errors: ConfigError[]) {
    super(`invalid configuration:\n${formatConfigErrors(errors)}`);
    this.name = 'ConfigValidationError';
  }
}

export interface ConfigSources {
  /** Path of a TOML config file. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags, keyed by field. */
  flags?: LoopConfigInput;
}

async function readConfigFile(path: string): Promise<{ values: LoopConfigInput; errors: ConfigError[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { values: {}, errors: [{ field: 'config', message: `cannot read the config file ${path}: ${(error as Error).message}` }] };
  }
  let table: Record<string, unknown>;
  try {
    table = parseToml(text);
  } catch (error) {
    const where = error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : '';
    return { values: {}, errors: [{ field: 'config', message: `${path}${where}: not valid TOML (${(error as Error).message.split('\n')[0]})` }] };
  }
  const errors: ConfigError[] = [];
  const values: LoopConfigInput = {};
  for (const [key, value] of Object.entries(table)) {
    if (!(key in FIELD_BY_KEY)) {
      errors.push({ field: key, message: `${path}: "${key}" is not a setting; check its spelling (settings use camelCase, e.g. episodesPerIteration).` });
      continue;
    }
    values[key as LoopConfigKey] = value;
  }
  return { values, errors };
}

function readEnv(env: NodeJS.ProcessEnv): LoopConfigInput {
  const values: LoopConfigInput = {};
  for (const spec of CONFIG_FIELDS) {
    const value = env[envName(spec.key)];
    if (value !== undefined && value !== '') values[spec.key] = value;
  }
  return values;
}

/** Check one layer's values on their own, so an error names where the bad value came from. */
function checkLayer(values: LoopConfigInput, describe: (key: LoopConfigKey) => string): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const [key, raw] of Object.entries(values) as [LoopConfigKey, unknown][]) {
    const result = coerceField(FIELD_BY_KEY[key], raw);
    if ('error' in result) errors.push({ field: key, message: `${describe(key)}: ${result.error}` });
  }
  return errors;
}

export async function resolveConfig(sources: ConfigSources = {}): Promise<ResolvedConfig> {
  const file = sources.file ? await readConfigFile(sources.file) : { values: {}, errors: [] };
  const env = readEnv(sources.env ?? {});
  const flags = sources.flags ?? {};
  const errors = [
    ...file.errors,
    ...checkLayer(file.values, () => `in ${sources.file}`),
    ...checkLayer(env, (key) => `environment variable ${envName(key)}`),
    ...checkLayer(flags, (key) => `flag ${flagName(key)}`),
  ];
  if (errors.length) throw new ConfigValidationError(errors);

  const merged: LoopConfigInput = { ...file.values, ...env, ...flags };
  const result = validateConfig(merged);
  if (!result.ok) throw new ConfigValidationError(result.errors);
  const sourcesOf = {} as Record<LoopConfigKey, ConfigSource>;
  for (const spec of CONFIG_FIELDS) {
    sourcesOf[spec.key] = spec.key in flags ? 'flag' : spec.key in env ? 'env' : spec.key in file.values ? 'file' : 'default';
  }
  return { config: result.config, sources: sourcesOf };
}

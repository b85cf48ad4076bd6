/** A run's settings changed: which settings differ, the checked change, and how to say it. */
import { joinCommandLine } from '../commandLine';
import { CONFIG_FIELDS, FIELD_BY_KEY, type LoopConfig, type LoopConfigInput, type LoopConfigKey } from './fields';
import { quote } from '../schemaIssues';
import { validateConfig, type ConfigError } from './validate';

export type ConfigChanges = Partial<Record<LoopConfigKey, { from: unknown; to: unknown }>>;

/** A change of a run's settings: who, when, and the first iteration it applies to. */
export interface ConfigChange {
  time: string;
  by: string;
  from_iteration: number;
  changes: ConfigChanges;
}

/** The settings that differ between two configs of a run. */
export function configChanges(from: LoopConfig, to: LoopConfig): ConfigChanges {
  const changes: ConfigChanges = {};
  for (const spec of CONFIG_FIELDS) {
    const a = from[spec.key];
    const b = to[spec.key];
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[spec.key] = { from: a, to: b };
  }
  return changes;
}

/**
 * A run's settings with `input` changed, validated like a new config; settings
 * fixed at creation (game, name, folder) are refused, naming what to do instead.
 */
export function changeConfig(current: LoopConfig, input: LoopConfigInput): { ok: true; config: LoopConfig; changes: ConfigChanges } | { ok: false; errors: ConfigError[] } {
  const result = validateConfig({ ...current, ...input });
  const errors: ConfigError[] = result.ok ? [] : [...result.errors];
  if (result.ok) {
    for (const [key, change] of Object.entries(configChanges(current, result.config))) {
      const spec = FIELD_BY_KEY[key as LoopConfigKey];
      if (spec.fixed) errors.push({ field: key, message: `${key} cannot change from ${quote(change!.from)} to ${quote(change!.to)}: ${spec.fixed}.` });
    }
  }
  if (errors.length || !result.ok) return { ok: false, errors };
  return { ok: true, config: result.config, changes: configChanges(current, result.config) };
}

/** "iterations 40 → 60, learningRate 0.002 → 0.001" */
export function describeChanges(changes: ConfigChanges): string {
  const show = (v: unknown) => (Array.isArray(v) ? joinCommandLine(v as string[]) : v === null ? 'default' : String(v));
  return Object.entries(changes)
    .map(([key, c]) => `${key} ${show(c!.from)} → ${show(c!.to)}`)
    .join(', ');
}

/**
 * Checking settings against the field table: one raw value coerced to its
 * field's type, a whole config validated with its game's defaults filled in,
 * and a change of a run's settings. Every message names the field and how to
 * fix it.
 */
import { GAME_ID_PATTERN, GAME_ID_RULE } from '../games/ids';
import { isRunName, RUN_NAME_RULE } from '../runName';
import { splitCommandLine } from '../commandLine';
import { quote } from '../schemaIssues';
import { DEFAULT_GAME, defaultConfig } from './defaults';
import { CONFIG_FIELDS, FIELD_BY_KEY, flagName, type FieldSpec, type LoopConfig, type LoopConfigInput, type LoopConfigKey } from './fields';

export interface ConfigError {
  field: LoopConfigKey | string;
  message: string;
}

export type ValidationResult = { ok: true; config: LoopConfig; errors: [] } | { ok: false; config: null; errors: ConfigError[] };

/** Fields that name a program to run, given a value in `input` (empty means the bundled engine). */
export function commandFieldsSet(input: LoopConfigInput): FieldSpec[] {
  return CONFIG_FIELDS.filter((f) => f.kind === 'command').filter((f) => {
    const raw = input[f.key];
    return raw !== undefined && raw !== null && !(typeof raw === 'string' && raw.trim() === '') && !(Array.isArray(raw) && raw.length === 0);
  });
}

function describeRange(spec: FieldSpec): string {
  const noun = spec.kind === 'int' ? 'a whole number' : 'a number';
  return `${noun} from ${spec.min} to ${spec.max}`;
}

function fixHint(spec: FieldSpec): string {
  return `set ${spec.key} in the config file, ${flagName(spec.key)} on the command line, or "${spec.label}" in the form`;
}

/** Coerce one raw value (number, string from a flag/env/form) to the field's type, or explain why not. */
export function coerceField(spec: FieldSpec, raw: unknown): { value: unknown } | { error: string } {
  const got = quote(raw);
  const bad = (what: string) => ({ error: `${spec.key} must be ${what} (got ${got}); ${fixHint(spec)}.` });
  switch (spec.kind) {
    case 'int':
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n))) return bad(describeRange(spec));
      if (n < spec.min! || n > spec.max!) return bad(describeRange(spec));
      return { value: n };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      if (typeof raw === 'string' && /^(true|1|yes|on)$/i.test(raw.trim())) return { value: true };
      if (typeof raw === 'string' && /^(false|0|no|off)$/i.test(raw.trim())) return { value: false };
      return bad('true or false');
    }
    case 'enum': {
      if (typeof raw === 'string' && spec.options!.includes(raw)) return { value: raw };
      return bad(`one of ${spec.options!.join(', ')}`);
    }
    case 'string': {
      if (typeof raw !== 'string' || raw.trim() === '') return bad('a non-empty text');
      if (spec.key === 'name' && !isRunName(raw)) return bad(RUN_NAME_RULE);
      if (spec.key === 'game' && !GAME_ID_PATTERN.test(raw)) return bad(GAME_ID_RULE);
      return { value: raw };
    }
    case 'text': {
      if (raw === null || raw === undefined) return { value: '' };
      if (typeof raw !== 'string') return bad('a text');
      const text = raw.trim();
      if (text && spec.pattern && !spec.pattern.regex.test(text)) return bad(spec.pattern.describe);
      return { value: text };
    }
    case 'command': {
      if (raw === null || raw === undefined || raw === '') return { value: null };
      if (Array.isArray(raw)) {
        if (raw.length === 0) return { value: null };
        if (raw.every((a) => typeof a === 'string') && raw[0] !== '') return { value: raw };
        return bad('a list of strings whose first item is the program');
      }
      if (typeof raw === 'string') {
        try {
          const argv = splitCommandLine(raw);
          return { value: argv.length ? argv : null };
        } catch (e) {
          return bad(`a command line (${(e as Error).message})`);
        }
      }
      return bad('a command line or a list of strings');
    }
  }
}

/**
 * Validate a partial config against the field table, filling defaults of the
 * chosen game. Unknown keys are errors (a typo must not be silently ignored).
 */
export function validateConfig(input: LoopConfigInput): ValidationResult {
  const errors: ConfigError[] = [];
  for (const key of Object.keys(input)) {
    if (!(key in FIELD_BY_KEY)) errors.push({ field: key.slice(0, 80), message: `${quote(key)} is not a setting; check its spelling (settings: ${CONFIG_FIELDS.map((f) => f.key).join(', ')}).` });
  }
  const gameRaw = input.game ?? DEFAULT_GAME;
  const game = typeof gameRaw === 'string' && GAME_ID_PATTERN.test(gameRaw) ? gameRaw : DEFAULT_GAME;
  const merged: Record<string, unknown> = { ...defaultConfig(game) };
  for (const spec of CONFIG_FIELDS) {
    const raw = input[spec.key];
    if (raw === undefined) continue;
    const result = coerceField(spec, raw);
    if ('error' in result) errors.push({ field: spec.key, message: result.error });
    else merged[spec.key] = result.value;
  }
  const config = merged as unknown as LoopConfig;
  if (!errors.some((e) => e.field === 'maxSims' || e.field === 'startSims') && config.maxSims < config.startSims)
    errors.push({ field: 'maxSims', message: `maxSims (${config.maxSims}) must be at least startSims (${config.startSims}); raise maxSims or lower startSims.` });
  if (!errors.some((e) => e.field === 'keepReplayIterations' || e.field === 'replayWindow') && config.keepReplayIterations !== 0 && config.keepReplayIterations < config.replayWindow)
    errors.push({
      field: 'keepReplayIterations',
      message: `keepReplayIterations (${config.keepReplayIterations}) must be at least replayWindow (${config.replayWindow}), which the trainer reads, or 0 to keep all replay; raise keepReplayIterations.`,
    });
  if (errors.length) return { ok: false, config: null, errors };
  return { ok: true, config, errors: [] };
}

export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return errors.map((e) => `  ${e.field}: ${e.message}`).join('\n');
}

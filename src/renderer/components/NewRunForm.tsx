import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../shared/api';
import { CONFIG_FIELDS, type FieldSpec, type LoopConfig, type LoopConfigInput } from '../../shared/config/fields';
import { defaultConfig } from '../../shared/config/defaults';
import { describeChanges } from '../../shared/config/changes';
import { joinCommandLine, splitCommandLine } from '../../shared/commandLine';
import { validateConfig } from '../../shared/config/validate';
import type { GameDeclaration } from '../../shared/protocol';
import { errorText } from '../format';
import { actions } from '../store';

type FormValues = Record<string, string | boolean>;

/** The server decides where runs live. */
const HIDDEN = new Set(['runsDir']);

function toForm(config: LoopConfig): FormValues {
  const values: FormValues = {};
  for (const f of CONFIG_FIELDS) {
    const v = config[f.key];
    values[f.key] = f.kind === 'boolean' ? Boolean(v) : f.kind === 'command' ? (v ? joinCommandLine(v as string[]) : '') : String(v);
  }
  return values;
}

function toInput(values: FormValues): LoopConfigInput {
  const input: LoopConfigInput = {};
  for (const f of CONFIG_FIELDS) {
    if (HIDDEN.has(f.key)) continue;
    const v = values[f.key];
    input[f.key] = f.kind === 'command' && v === '' ? null : v;
  }
  return input;
}

interface FieldProps {
  spec: FieldSpec;
  value: string | boolean;
  error?: string;
  /** Set once at creation: shown, not editable, with the reason. */
  locked?: boolean;
  /** Differs from the run's setting in force. */
  changed?: boolean;
  /** The values to choose from, with their labels (the engine's games). */
  choices?: { value: string; label: string }[];
  onChange(v: string | boolean): void;
}

function Field({ spec, value, error, locked, changed, choices, onChange }: FieldProps) {
  const id = `field-${spec.key}`;
  let control: React.ReactElement;
  if (choices && !locked) {
    control = (
      <select id={id} value={String(value)} aria-invalid={error ? true : undefined} onChange={(e) => onChange(e.target.value)}>
        {choices.some((c) => c.value === value) ? null : <option value={String(value)}>{String(value)}</option>}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === 'boolean') {
    control = <input id={id} type="checkbox" checked={Boolean(value)} disabled={locked} onChange={(e) => onChange(e.target.checked)} />;
  } else if (spec.kind === 'enum') {
    control = (
      <select id={id} value={String(value)} disabled={locked} onChange={(e) => onChange(e.target.value)}>
        {spec.options!.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <input
        id={id}
        type="text"
        inputMode={spec.kind === 'int' || spec.kind === 'number' ? 'decimal' : 'text'}
        value={String(value)}
        readOnly={locked}
        placeholder={spec.key.endsWith('Command') ? 'bundled engine' : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className={`field${spec.kind === 'command' ? ' wide' : ''}${changed ? ' changed' : ''}${locked ? ' locked' : ''}`}>
      <label htmlFor={id} title={spec.help}>
        {spec.label}
      </label>
      {control}
      {error ? (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : locked ? (
        <div className="field-help">Fixed: {spec.fixed}.</div>
      ) : (
        <div className="field-help">
          {changed ? 'Changed. ' : ''}
          {spec.help}
        </div>
      )}
    </div>
  );
}

interface SettingsFormProps {
  title: string;
  initial: LoopConfig;
  submitLabel: string;
  /** Change mode: the run's settings in force; fixed fields are locked and changes highlighted. */
  current?: LoopConfig;
  onSubmit(input: LoopConfigInput): Promise<void>;
  onCancel(): void;
}

/** The settings of a run, checked as they are typed with the same rules as the CLI. */
function SettingsForm({ title, initial, submitLabel, current, onSubmit, onCancel }: SettingsFormProps) {
  const [values, setValues] = useState<FormValues>(() => toForm(initial));
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const validation = useMemo(() => validateConfig(toInput(values)), [values]);
  const errors: Record<string, string> = { ...serverErrors };
  if (!validation.ok) for (const e of validation.errors) errors[e.field] = e.message;
  const currentForm = useMemo(() => (current ? toForm(current) : null), [current]);
  const changed = (key: string) => currentForm !== null && currentForm[key] !== values[key];
  const anyChange = currentForm === null || CONFIG_FIELDS.some((f) => !HIDDEN.has(f.key) && changed(f.key));

  const engine = useEngineGames(current ? null : String(values.actorCommand ?? ''));
  if (engine.error) errors.game = engine.error;
  else if (engine.games && !engine.games.some((g) => g.id === values.game)) errors.game = `The actor command does not offer "${values.game}"; choose one of its games.`;

  const set = (key: string, value: string | boolean) => {
    setServerErrors({});
    if (key === 'game' && !current) {
      // A game's own defaults, keeping the engine commands and a name the user typed.
      const fresh = toForm(defaultConfig(String(value)));
      const commands = Object.fromEntries(CONFIG_FIELDS.filter((f) => f.kind === 'command').map((f) => [f.key, values[f.key]!]));
      setValues({ ...fresh, ...commands, name: values.name === toForm(defaultConfig(String(values.game))).name ? fresh.name! : values.name! });
    } else setValues((v) => ({ ...v, [key]: value }));
  };

  const submit = async () => {
    if (!validation.ok) return;
    setBusy(true);
    setFailure(null);
    try {
      const input = toInput(values);
      // A change sends only what changed.
      await onSubmit(current ? Object.fromEntries(Object.entries(input).filter(([k]) => changed(k))) : input);
    } catch (error) {
      const api = error instanceof ApiError ? error : null;
      if (api?.errors) setServerErrors(Object.fromEntries(api.errors.map((e) => [e.field, e.message])));
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  const visible = CONFIG_FIELDS.filter((f) => !HIDDEN.has(f.key));
  const field = (f: FieldSpec) => (
    <Field
      key={f.key}
      spec={f}
      value={values[f.key]!}
      error={errors[f.key]}
      locked={Boolean(current && f.fixed)}
      changed={changed(f.key)}
      choices={f.key === 'game' && !current ? (engine.games ?? []).map((g) => ({ value: g.id, label: g.label })) : undefined}
      onChange={(v) => set(f.key, v)}
    />
  );
  return (
    <section className="panel">
      <header className="panel-header">
        <h2>{title}</h2>
      </header>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="fields">{visible.filter((f) => f.main).map(field)}</div>
        <details className="advanced" open={Boolean(current)}>
          <summary>Advanced</summary>
          <div className="fields">{visible.filter((f) => !f.main).map(field)}</div>
        </details>
        {failure && (
          <p className="error" role="alert">
            {failure}
          </p>
        )}
        <div className="toolbar">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!validation.ok || busy || !anyChange || Boolean(errors.game)}>
            {submitLabel}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The games the actor command (text as typed; empty for the bundled engine) declares, asked once typing pauses; null for none asked. */
function useEngineGames(command: string | null): { games: GameDeclaration[] | null; error: string | null } {
  const [answer, setAnswer] = useState<{ command: string; games: GameDeclaration[] | null; error: string | null } | null>(null);
  useEffect(() => {
    if (command === null) return;
    let argv: string[] | null;
    try {
      argv = command.trim() ? splitCommandLine(command) : null;
    } catch {
      return; // the command field says what is wrong with it
    }
    let current = true;
    const timer = setTimeout(() => {
      actions.engineGames(argv).then(
        (games) => current && setAnswer({ command, games, error: null }),
        (e) => current && setAnswer({ command, games: null, error: `The actor command does not declare its games: ${errorText(e)}` }),
      );
    }, 400);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [command]);
  return answer && answer.command === command ? answer : { games: null, error: null };
}

export function NewRunForm({ onStarted, onCancel }: { onStarted(name: string): void; onCancel(): void }) {
  return <SettingsForm title="New run" initial={defaultConfig('tictactoe')} submitLabel="Start run" onSubmit={async (input) => onStarted((await actions.startRun(input)).name)} onCancel={onCancel} />;
}

/**
 * Change settings of an existing run (stopped, completed or running): fixed
 * settings read-only with the reason, changes highlighted; they apply from
 * the run's next iteration.
 */
export function ChangeSettingsForm({ runName, current, onDone, onCancel }: { runName: string; current: LoopConfig; onDone(message: string): void; onCancel(): void }) {
  return (
    <SettingsForm
      title={`Change settings of ${runName}`}
      initial={current}
      current={current}
      submitLabel="Apply changes"
      onSubmit={async (input) => {
        const result = await actions.changeSettings(runName, input);
        onDone(`${describeChanges(result.changes) || 'nothing changed'}; ${result.pending ? `from iteration ${result.from_iteration}, when it starts` : `from iteration ${result.from_iteration}`}`);
      }}
      onCancel={onCancel}
    />
  );
}

import { useMemo, useState } from 'react';
import { ApiError } from '../../shared/api';
import { CONFIG_FIELDS, type FieldSpec, type LoopConfig, type LoopConfigInput } from '../../shared/config/fields';
import { defaultConfig } from '../../shared/config/defaults';
import { describeChanges } from '../../shared/config/changes';
import { joinCommandLine } from '../../shared/commandLine';
import { validateConfig } from '../../shared/config/validate';
import { gameLabel, type GameId } from '../../shared/games';
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
  onChange(v: string | boolean): void;
}

function Field({ spec, value, error, locked, changed, onChange }: FieldProps) {
  const id = `field-${spec.key}`;
  let control: React.ReactElement;
  if (spec.kind === 'boolean') {
    control = <input id={id} type="checkbox" checked={Boolean(value)} disabled={locked} onChange={(e) => onChange(e.target.checked)} />;
  } else if (spec.kind === 'enum') {
    control = (
      <select id={id} value={String(value)} disabled={locked} onChange={(e) => onChange(e.target.value)}>
        {spec.options!.map((o) => (
          <option key={o} value={o}>
            {spec.key === 'game' ? gameLabel(o) : o}
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

  const set = (key: string, value: string | boolean) => {
    setServerErrors({});
    if (key === 'game' && !current) {
      const fresh = toForm(defaultConfig(value as GameId));
      setValues({ ...fresh, name: values.name === toForm(defaultConfig(values.game as GameId)).name ? fresh.name! : values.name! });
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
    <Field key={f.key} spec={f} value={values[f.key]!} error={errors[f.key]} locked={Boolean(current && f.fixed)} changed={changed(f.key)} onChange={(v) => set(f.key, v)} />
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
          <button type="submit" className="primary" disabled={!validation.ok || busy || !anyChange}>
            {submitLabel}
          </button>
        </div>
      </form>
    </section>
  );
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

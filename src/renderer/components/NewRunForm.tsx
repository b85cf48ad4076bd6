import { useMemo, useState } from 'react';
import { ApiError } from '../../shared/api';
import { CONFIG_FIELDS, defaultConfig, joinCommandLine, validateConfig, type FieldSpec, type LoopConfig, type LoopConfigInput } from '../../shared/config';
import { GAME_LABELS, type GameId } from '../../shared/games';
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

function Field({ spec, value, error, onChange }: { spec: FieldSpec; value: string | boolean; error?: string; onChange(v: string | boolean): void }) {
  const id = `field-${spec.key}`;
  let control: React.ReactElement;
  if (spec.kind === 'boolean') {
    control = <input id={id} type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} />;
  } else if (spec.kind === 'enum') {
    control = (
      <select id={id} value={String(value)} onChange={(e) => onChange(e.target.value)}>
        {spec.options!.map((o) => (
          <option key={o} value={o}>
            {spec.key === 'game' ? (GAME_LABELS[o as GameId] ?? o) : o}
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
        placeholder={spec.kind === 'command' ? 'bundled engine' : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className={`field ${spec.kind === 'command' ? 'wide' : ''}`}>
      <label htmlFor={id} title={spec.help}>
        {spec.label}
      </label>
      {control}
      {error ? (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : (
        <div className="field-help">{spec.help}</div>
      )}
    </div>
  );
}

export function NewRunForm({ onStarted, onCancel }: { onStarted(name: string): void; onCancel(): void }) {
  const [values, setValues] = useState<FormValues>(() => toForm(defaultConfig('tictactoe')));
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [starting, setStarting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const validation = useMemo(() => validateConfig(toInput(values)), [values]);
  const errors: Record<string, string> = { ...serverErrors };
  if (!validation.ok) for (const e of validation.errors) errors[e.field] = e.message;

  const set = (key: string, value: string | boolean) => {
    setServerErrors({});
    if (key === 'game') {
      const fresh = toForm(defaultConfig(value as GameId));
      setValues({ ...fresh, name: values.name === toForm(defaultConfig(values.game as GameId)).name ? fresh.name! : values.name! });
    } else setValues((v) => ({ ...v, [key]: value }));
  };

  const start = async () => {
    if (!validation.ok) return;
    setStarting(true);
    setFailure(null);
    try {
      const summary = await actions.startRun(toInput(values));
      onStarted(summary.name);
    } catch (error) {
      const api = error instanceof ApiError ? error : null;
      if (api?.errors) setServerErrors(Object.fromEntries(api.errors.map((e) => [e.field, e.message])));
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setStarting(false);
    }
  };

  const visible = CONFIG_FIELDS.filter((f) => !HIDDEN.has(f.key));
  const main = visible.filter((f) => f.main);
  const advanced = visible.filter((f) => !f.main);
  return (
    <section className="panel">
      <header className="panel-header">
        <h2>New run</h2>
      </header>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <div className="fields">
          {main.map((f) => (
            <Field key={f.key} spec={f} value={values[f.key]!} error={errors[f.key]} onChange={(v) => set(f.key, v)} />
          ))}
        </div>
        <details className="advanced">
          <summary>Advanced</summary>
          <div className="fields">
            {advanced.map((f) => (
              <Field key={f.key} spec={f} value={values[f.key]!} error={errors[f.key]} onChange={(v) => set(f.key, v)} />
            ))}
          </div>
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
          <button type="submit" className="primary" disabled={!validation.ok || starting}>
            Start run
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * Start an experiment from the panel: a base (game, compute per run, any other settings), a grid of
 * settings and seeds. The plan is checked as it is typed with the rules the server applies
 * (shared/experiments/plan.ts), and the form says how many runs and how much machine time it asks.
 */
import { useMemo, useState } from 'react';
import { CONFIG_FIELDS, type LoopConfigInput } from '../../shared/config/fields';
import { type ExperimentSpec, experimentPlan, planCost } from '../../shared/experiments/plan';
import { bundledDeclaration } from '../../shared/games/declaration';
import { GAME_IDS } from '../../shared/games/ids';
import { errorText } from '../format';
import { actions } from '../store';

/** A typed value as TOML would read it: a number, true or false, or text (quotes optional). */
function parseValue(text: string): unknown {
  const t = text.trim();
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return t.replace(/^"(.*)"$/, '$1');
}

/** "setting = value" lines, or the line that is not one. */
function parseSettings(text: string): { settings: LoopConfigInput } | { error: string } {
  const settings: Record<string, unknown> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^([A-Za-z][A-Za-z0-9]*)\s*=\s*(.+)$/.exec(line);
    if (!match) return { error: `Other base settings, line ${i + 1}: write "setting = value" (e.g. episodesPerIteration = 40)` };
    settings[match[1]!] = parseValue(match[2]!);
  }
  return { settings };
}

interface GridRow {
  key: string;
  values: string;
}

const GRID_CHOICES = CONFIG_FIELDS.filter((f) => !f.fixed && !['name', 'runsDir', 'seed', 'iterations', 'timeBudgetMinutes'].includes(f.key));

export function NewExperimentForm({ onStarted, onCancel }: { onStarted(name: string): void; onCancel(): void }) {
  const [name, setName] = useState('');
  const [game, setGame] = useState('tictactoe');
  const [seeds, setSeeds] = useState('2');
  const [parallel, setParallel] = useState('1');
  const [minutes, setMinutes] = useState('10');
  const [iterations, setIterations] = useState('1000');
  const [other, setOther] = useState('');
  const [grid, setGrid] = useState<GridRow[]>([{ key: 'learningRate', values: '0.002, 0.001' }]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const built = useMemo((): { spec: ExperimentSpec } | { error: string } => {
    const extra = parseSettings(other);
    if ('error' in extra) return extra;
    const spec: ExperimentSpec = {
      name: name.trim(),
      seeds: Number(seeds),
      parallel: Number(parallel),
      base: { ...extra.settings, game, timeBudgetMinutes: Number(minutes), iterations: Number(iterations) },
      grid: Object.fromEntries(
        grid
          .filter((r) => r.key)
          .map((r) => [
            r.key,
            r.values
              .split(',')
              .filter((v) => v.trim())
              .map(parseValue),
          ]),
      ),
    };
    return { spec };
  }, [name, game, seeds, parallel, minutes, iterations, other, grid]);
  const preview = useMemo(() => {
    if ('error' in built) return { error: built.error };
    try {
      // The folder is the server's; the plan's checks do not depend on it.
      const plan = experimentPlan(built.spec as unknown as Record<string, unknown>, 'runs', 'The experiment');
      const cost = planCost(plan);
      const atATime = Math.min(plan.parallel, cost.runs);
      const time =
        cost.machineMinutes === null
          ? `, ${atATime} at a time`
          : `: ${cost.machineMinutes.toLocaleString('en')} machine-minutes, about ${Math.ceil(cost.wallMinutes!).toLocaleString('en')} minutes with ${atATime} at a time`;
      return { text: `${plan.cells.length} cells x ${plan.seeds} seeds = ${cost.runs} runs (${plan.compute})${time}.` };
    } catch (error) {
      return { error: errorText(error) };
    }
  }, [built]);

  const setRow = (i: number, row: Partial<GridRow>) => setGrid((rows) => rows.map((r, k) => (k === i ? { ...r, ...row } : r)));
  const start = async () => {
    if (!('spec' in built)) return;
    setBusy(true);
    try {
      await actions.startExperiment(built.spec);
      onStarted(built.spec.name);
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  const text = (id: string, label: string, value: string, set: (v: string) => void, help: string) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="text" value={value} onChange={(e) => set(e.target.value)} />
      <div className="field-help">{help}</div>
    </div>
  );
  return (
    <section className="panel">
      <header className="panel-header">
        <h2>New experiment</h2>
      </header>
      <form
        aria-label="New experiment"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <div className="fields">
          {text('experiment-name', 'Experiment name', name, setName, 'Prefixes each run: <name>-c<cell>-s<seed>.')}
          <div className="field">
            <label htmlFor="experiment-game">Game</label>
            <select id="experiment-game" value={game} onChange={(e) => setGame(e.target.value)}>
              {GAME_IDS.map((id) => (
                <option key={id} value={id}>
                  {bundledDeclaration(id).label}
                </option>
              ))}
            </select>
            <div className="field-help">The bundled engine's games; other engines' through "Other base settings" (actorCommand = ...) or the CLI.</div>
          </div>
          {text('experiment-seeds', 'Seeds', seeds, setSeeds, 'Runs per cell, each with its own seed.')}
          {text('experiment-parallel', 'Runs at a time', parallel, setParallel, 'On this machine; each run uses its actors and trainer.')}
          {text('experiment-minutes', 'Minutes per run', minutes, setMinutes, 'Every run gets this compute (0: the iteration target instead).')}
          {text('experiment-iterations', 'Iterations per run', iterations, setIterations, 'A run also ends here.')}
        </div>
        <fieldset className="grid-rows">
          <legend>Grid: each setting's values, the base's first</legend>
          {grid.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and never reordered
            <div className="toolbar" key={i}>
              <select aria-label={`Setting ${i + 1}`} value={row.key} onChange={(e) => setRow(i, { key: e.target.value })}>
                {GRID_CHOICES.map((f) => (
                  <option key={f.key} value={f.key}>
                    {f.label} ({f.key})
                  </option>
                ))}
              </select>
              <input aria-label={`Values of setting ${i + 1}`} type="text" value={row.values} onChange={(e) => setRow(i, { values: e.target.value })} />
              <button type="button" className="small" onClick={() => setGrid((rows) => rows.filter((_, k) => k !== i))}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" className="small" onClick={() => setGrid((rows) => [...rows, { key: 'replayWindow', values: '' }])}>
            Add a setting
          </button>
        </fieldset>
        <div className="field wide">
          <label htmlFor="experiment-base">Other base settings</label>
          <textarea id="experiment-base" rows={4} value={other} placeholder={'episodesPerIteration = 40\nevalGames = 20'} onChange={(e) => setOther(e.target.value)} />
          <div className="field-help">One per line, setting = value, as in an experiment file's [base].</div>
        </div>
        {'text' in preview ? (
          <p className="muted" role="status" aria-label="Experiment size">
            {preview.text}
          </p>
        ) : (
          <p className="error" role="alert">
            {preview.error}
          </p>
        )}
        {failure && (
          <p className="error" role="alert">
            {failure}
          </p>
        )}
        <div className="toolbar">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !('text' in preview)}>
            Start experiment
          </button>
        </div>
      </form>
    </section>
  );
}

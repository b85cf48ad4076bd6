import { useEffect, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunSnapshot } from '../../shared/stats';
import { pct } from '../format';
import { actions, loadRuns, useStore } from '../store';

const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#7c3aed', '#ea580c', '#0891b2', '#a16207', '#db2777'];

type Axis = 'iteration' | 'minutes';

/** Points of one run: x (iteration, or minutes since the run was created) and its win rate vs random. */
export function compareSeries(run: RunSnapshot, axis: Axis): { x: number; y: number }[] {
  const start = Date.parse(run.summary.created_at);
  return run.evaluations
    .filter((e) => e.vs_random)
    .map((e) => ({ x: axis === 'iteration' ? e.iteration : (Date.parse(e.timestamp) - start) / 60_000, y: e.vs_random!.win_rate }));
}

export function Compare({ onBack }: { onBack(): void }) {
  const runs = useStore((s) => s.runs);
  const [selected, setSelected] = useState<string[]>([]);
  const [axis, setAxis] = useState<Axis>('iteration');
  const [snapshots, setSnapshots] = useState<Record<string, RunSnapshot>>({});
  useEffect(() => void loadRuns().catch(() => {}), []);
  useEffect(() => {
    for (const name of selected) if (!snapshots[name]) void actions.getRun(name).then((s) => setSnapshots((all) => ({ ...all, [name]: s })));
  }, [selected, snapshots]);

  return (
    <section className="panel">
      <header className="panel-header">
        <button type="button" className="link" onClick={onBack}>
          ← Runs
        </button>
        <h2>Compare runs</h2>
        <div className="toolbar right">
          <label>
            X axis{' '}
            <select value={axis} onChange={(e) => setAxis(e.target.value as Axis)}>
              <option value="iteration">iteration</option>
              <option value="minutes">wall-clock minutes</option>
            </select>
          </label>
        </div>
      </header>
      <fieldset className="run-picker">
        <legend>Runs</legend>
        {runs.map((r) => (
          <label key={r.name}>
            <input type="checkbox" checked={selected.includes(r.name)} onChange={(e) => setSelected((s) => (e.target.checked ? [...s, r.name] : s.filter((n) => n !== r.name)))} /> {r.name}
          </label>
        ))}
      </fieldset>
      <figure role="img" aria-label="Win rate vs random, compared" className="chart">
        <figcaption>Win rate vs random</figcaption>
        <div style={{ width: '100%', height: 320 }}>
          <ResponsiveContainer width="100%" height="100%" minWidth={200}>
            <LineChart margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} tick={{ fontSize: 11 }} tickFormatter={(v: number) => (axis === 'minutes' ? v.toFixed(1) : String(v))} />
              <YAxis domain={[0, 1]} tickFormatter={(v: number) => pct(v)} tick={{ fontSize: 11 }} width={42} />
              <Tooltip formatter={(v) => pct(v as number, 1)} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {selected.filter((n) => snapshots[n]).map((n, i) => (
                <Line key={n} name={n} data={compareSeries(snapshots[n]!, axis)} dataKey="y" stroke={PALETTE[i % PALETTE.length]} strokeWidth={2} dot={false} isAnimationActive={false} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      </figure>
    </section>
  );
}

import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { errorText } from '../format';
import { actions, logKey, useStore } from '../store';

const MAX_FETCHED_LINES = 20_000;

export function LogsPanel({ runName, logsIndex, currentIteration }: { runName: string; logsIndex: Record<string, string[]>; currentIteration: number | null }) {
  const iterations = Object.keys(logsIndex)
    .map(Number)
    .sort((a, b) => a - b);
  const [iteration, setIteration] = useState<number | null>(null);
  const [process, setProcess] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [fetched, setFetched] = useState<{ key: string; lines: string[]; receivedAtFetch: number } | null>(null);
  const [failed, setFailed] = useState<{ key: string; error: string } | null>(null);
  const [attempt, setAttempt] = useState(0);

  const shownIteration = iteration ?? currentIteration ?? iterations[iterations.length - 1] ?? null;
  const processes = shownIteration !== null ? (logsIndex[String(shownIteration)] ?? []) : [];
  const shownProcess = process && processes.includes(process) ? process : (processes[0] ?? null);
  const key = shownIteration !== null && shownProcess ? logKey(runName, shownIteration, shownProcess) : null;
  const ring = useStore((s) => (key ? s.logs[key] : undefined));

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load when Retry is clicked
  useEffect(() => {
    if (shownIteration === null || !shownProcess || !key) return;
    let cancelled = false;
    const receivedAtFetch = useStore.getState().logs[key]?.received ?? 0;
    (async () => {
      const lines: string[] = [];
      let offset = 0;
      try {
        for (;;) {
          const chunk = await actions.readLog(runName, shownIteration, shownProcess, offset);
          if (cancelled) return;
          lines.push(...chunk.lines);
          offset = chunk.next_offset;
          if (offset >= chunk.size || chunk.lines.length === 0 || lines.length > MAX_FETCHED_LINES) break;
        }
      } catch (error) {
        if (!cancelled) setFailed({ key, error: errorText(error) });
        return;
      }
      if (!cancelled) {
        setFailed(null);
        setFetched({ key, lines: lines.slice(-MAX_FETCHED_LINES), receivedAtFetch });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [runName, shownIteration, shownProcess, key, attempt]);

  const lines = useMemo(() => {
    const base = fetched?.key === key ? fetched.lines : [];
    // Live lines that arrived after the file was read.
    const liveNew = ring ? Math.max(0, ring.received - (fetched?.key === key ? fetched.receivedAtFetch : ring.received)) : 0;
    const live = ring && liveNew > 0 ? ring.lines.slice(-Math.min(liveNew, ring.lines.length)) : [];
    const all = base.concat(live);
    const q = query.trim().toLowerCase();
    return q ? all.filter((l) => l.toLowerCase().includes(q)) : all;
  }, [fetched, key, ring, query]);

  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => parentRef.current, estimateSize: () => 18, overscan: 20 });
  const atBottom = useRef(true);
  useEffect(() => {
    if (atBottom.current && lines.length) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [lines.length, virtualizer]);

  return (
    <section className="card logs">
      <header className="card-header">
        <h3>Logs</h3>
        <div className="toolbar">
          <label>
            Iteration{' '}
            <select value={shownIteration ?? ''} onChange={(e) => setIteration(Number(e.target.value))}>
              {iterations.map((i) => (
                <option key={i} value={i}>
                  {i}
                </option>
              ))}
            </select>
          </label>
          <label>
            Process{' '}
            <select value={shownProcess ?? ''} onChange={(e) => setProcess(e.target.value)}>
              {processes.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <input type="search" placeholder="Search logs" aria-label="Search logs" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
      </header>
      <div
        className="log-view"
        ref={parentRef}
        role="log"
        aria-label="Process log"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div key={item.key} className="log-line" style={{ position: 'absolute', top: 0, transform: `translateY(${item.start}px)` }}>
              {lines[item.index]}
            </div>
          ))}
        </div>
        {failed?.key === key ? (
          <p role="alert" className="error log-error">
            Could not read this log: {failed.error}{' '}
            <button type="button" className="small" onClick={() => setAttempt((n) => n + 1)}>
              Retry
            </button>
          </p>
        ) : (
          lines.length === 0 && <p className="empty">{key ? 'No lines.' : 'No logs yet.'}</p>
        )}
      </div>
    </section>
  );
}

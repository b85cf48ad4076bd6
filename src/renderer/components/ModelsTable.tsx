import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef } from 'react';
import { bestProgressText, type BestProgress } from '../../shared/bestProgress';
import { modelPlayerId } from '../../shared/players';
import type { RatingFit } from '../../shared/ratings';
import type { BestModelInfo, EvalRecord, IterationStats } from '../../shared/stats';
import { duration, elo, num, pct } from '../format';

const ROW_HEIGHT = 28;
/** Below this many rows the table renders them all; above it, only those in view. */
const VIRTUALIZE_FROM = 200;

interface ModelsTableProps {
  iterations: IterationStats[];
  evaluations: EvalRecord[];
  best: BestModelInfo | null;
  busy: boolean;
  fit: RatingFit;
  onPromote(iteration: number): void;
  onRevert(): void;
  onGames(iteration: number): void;
  onPlay(iteration: number): void;
  onBranch(iteration: number): void;
}

/** Every iteration's model; rows are virtualized so a run of thousands of iterations stays fast. */
export const ModelsTable = memo(function ModelsTable({ iterations, evaluations, best, busy, fit, onPromote, onRevert, onGames, onPlay, onBranch }: ModelsTableProps) {
  const evals = new Map(evaluations.map((e) => [e.iteration, e]));
  const ratings = new Map(fit.players.map((p) => [p.id, p]));
  const bestIteration = best?.iteration ?? null;
  const canRevert = (best?.history.length ?? 0) > 1;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: iterations.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10, initialRect: { width: 800, height: 360 } });
  const virtual = iterations.length >= VIRTUALIZE_FROM;
  const items = virtual ? virtualizer.getVirtualItems() : iterations.map((_, index) => ({ index, start: index * ROW_HEIGHT, end: (index + 1) * ROW_HEIGHT }));
  const padTop = virtual ? (items[0]?.start ?? 0) : 0;
  const padBottom = virtual ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  return (
    <section className="card">
      <header className="card-header">
        <h3>Models</h3>
        <button type="button" onClick={onRevert} disabled={!canRevert || busy}>
          Revert to previous best
        </button>
      </header>
      <div className="table-scroll" ref={scrollRef}>
        <table className="grid models" aria-label="Models">
          <thead>
            <tr>
              <th>Iteration</th>
              <th>Sims</th>
              <th>Games</th>
              <th>Loss</th>
              <th>vs best</th>
              <th>vs random</th>
              <th title="Elo with its 95% interval, random = 0">Rating</th>
              <th title="Share of the perfect-play positions where the model keeps the game-theoretic value">Accuracy</th>
              <th>Time</th>
              <th>Best</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row for the virtualized table, never focusable
              padTop > 0 && <tr aria-hidden="true" style={{ height: padTop }} />
            }
            {items.map((item) => {
              const s = iterations[item.index]!;
              const e = evals.get(s.iteration);
              const isBest = s.iteration === bestIteration;
              const rating = ratings.get(modelPlayerId(s.iteration));
              return (
                <tr key={s.iteration} data-index={item.index} className={isBest ? 'best-row' : undefined} style={{ height: ROW_HEIGHT }}>
                  <td>{s.iteration}</td>
                  <td>{s.sims}</td>
                  <td>{s.episodes}</td>
                  <td>{num(s.final_loss)}</td>
                  <td title={e?.vs_champion ? `${e.vs_champion.wins}W ${e.vs_champion.draws}D ${e.vs_champion.losses}L vs iteration ${e.vs_champion_iteration}` : undefined}>
                    {e?.vs_champion ? `${pct(e.vs_champion.score)} (${e.vs_champion.wins}-${e.vs_champion.draws}-${e.vs_champion.losses})` : '–'}
                  </td>
                  <td>{e?.vs_random ? pct(e.vs_random.win_rate) : '–'}</td>
                  <td title={rating ? `${Math.round(rating.elo_low)} to ${Math.round(rating.elo_high)} (95%), ${rating.games} games` : undefined}>
                    {rating ? elo(rating.elo, rating.elo_low, rating.elo_high) : '–'}
                  </td>
                  <td title={e?.accuracy ? `${e.accuracy.positions} positions of ${e.accuracy.set}` : (e?.accuracy_error ?? undefined)}>{e?.accuracy ? pct(e.accuracy.rate, 1) : '–'}</td>
                  <td>{duration(s.total_time)}</td>
                  <td>{isBest ? <span className="badge best">best</span> : null}</td>
                  <td className="row-actions">
                    <button type="button" className="small" onClick={() => onGames(s.iteration)}>
                      Games
                    </button>
                    <button type="button" className="small" onClick={() => onPlay(s.iteration)}>
                      Play
                    </button>
                    <button type="button" className="small" onClick={() => onPromote(s.iteration)} disabled={isBest || busy}>
                      Promote
                    </button>
                    <button type="button" className="small" onClick={() => onBranch(s.iteration)}>
                      Branch from here
                    </button>
                  </td>
                </tr>
              );
            })}
            {
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row for the virtualized table, never focusable
              padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />
            }
          </tbody>
        </table>
      </div>
    </section>
  );
});

export const BestHistory = memo(function BestHistory({ best, progress }: { best: BestModelInfo | null; progress: BestProgress }) {
  const history = [...(best?.history ?? [])].reverse();
  const summary = bestProgressText(progress);
  return (
    <section className="card">
      <header className="card-header">
        <h3>Best model history</h3>
      </header>
      {summary && (
        <p className="muted" role="note" aria-label="Gate record" title="Significantly: the 95% interval of the rating difference lies wholly below zero.">
          {summary}
        </p>
      )}
      {history.length === 0 ? (
        <p className="empty">No best model yet.</p>
      ) : (
        <ol className="history" aria-label="Best model history">
          {history.map((h) => (
            <li key={`${h.promoted_at}-${h.iteration}-${h.reason}`}>
              <strong>iteration {h.iteration}</strong> <span className={`badge ${h.reason}`}>{h.reason}</span> by {h.by}, {new Date(h.promoted_at).toLocaleString()}
              {h.note ? <span className="muted"> — {h.note}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
});

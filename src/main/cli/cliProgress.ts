/**
 * The terminal view of a run: one status line redrawn in place on a TTY,
 * plain lines (phase changes, throttled progress, iteration summaries) when
 * stdout is a file or a pipe.
 */
import type { RunEvent } from '../../shared/events';
import { formatDuration as sharedFormatDuration } from '../../shared/format';
import type { LoopConfig } from '../../shared/config/fields';
import { minutesText } from '../../shared/runLimits';
import { phasesAfter } from '../../shared/runState';
import type { PhaseProgress } from '../../shared/stats';

const PHASE_LABEL = { selfplay: 'self-play', train: 'training', eval: 'evaluation' } as const;

export const formatDuration = (seconds: number | null) => sharedFormatDuration(seconds, '--:--');

export function progressBar(done: number, total: number, width = 24): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%`;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '--' : `${(x * 100).toFixed(0)}%`);

export class CliProgress {
  private lastVsBest: number | null = null;
  private lastVsRandom: number | null = null;
  private best: number | null = null;
  private lastPlainProgress = 0;
  private lineOpen = false;
  private minutes: number;
  /** The phases under way: two while the next iteration's self-play overlaps this one's training or evaluation. */
  private phases: PhaseProgress[] = [];

  /** `minutesDone`: the run's iteration time before this session, against its time budget. */
  constructor(
    private readonly out: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean; columns?: number },
    /** The settings in force: a change while the run goes (from the panel, say) replaces them. */
    private readonly limits: () => Pick<LoopConfig, 'iterations' | 'timeBudgetMinutes'>,
    minutesDone = 0,
  ) {
    this.minutes = minutesDone;
  }

  /** "(41.3/60 min)" against a time budget, else null. */
  private budgetLabel(): string | null {
    const budget = this.limits().timeBudgetMinutes;
    return budget > 0 ? `(${minutesText(this.minutes)}/${budget} min)` : null;
  }

  /** "12/40", or against a time budget "82 (41.3/60 min)". */
  private iterationLabel(iteration: number): string {
    const budget = this.budgetLabel();
    return budget ? `${iteration} ${budget}` : `${iteration}/${this.limits().iterations}`;
  }

  private get tty(): boolean {
    return Boolean(this.out.isTTY);
  }

  private println(text: string): void {
    if (this.lineOpen) this.out.write('\r\x1b[2K');
    this.lineOpen = false;
    this.out.write(`${text}\n`);
  }

  private phaseStatus(p: PhaseProgress): string {
    const rate =
      p.rates.games_per_sec !== undefined ? ` ${p.rates.games_per_sec.toFixed(1)} games/s` : p.rates.samples_per_sec !== undefined ? ` ${Math.round(p.rates.samples_per_sec)} samples/s` : '';
    return `iter ${this.iterationLabel(p.iteration)} ${PHASE_LABEL[p.phase].padEnd(10)} ${progressBar(p.done, p.total)} ${p.done}/${p.total} ETA ${formatDuration(p.eta_seconds)}${rate}`;
  }

  /** The phases under way; two (overlapped self-play) are shown short, so that the line fits a terminal. */
  private status(): string {
    const short = (p: PhaseProgress) => `iter ${p.iteration} ${PHASE_LABEL[p.phase]} ${Math.floor((100 * p.done) / Math.max(1, p.total))}% ETA ${formatDuration(p.eta_seconds)}`;
    const budget = this.budgetLabel();
    const phaseText = this.phases.length === 1 ? this.phaseStatus(this.phases[0]!) : `${this.phases.map(short).join(' · ')}${budget ? ` ${budget}` : ''}`;
    return `${phaseText} | vs best ${pct(this.lastVsBest)} vs random ${pct(this.lastVsRandom)} | best ${this.best ?? '--'}`;
  }

  handle(event: RunEvent): void {
    this.phases = phasesAfter(this.phases, event);
    switch (event.type) {
      case 'run.state':
        this.println(`${event.status}${event.message ? `: ${event.message}` : ''}`);
        break;
      case 'phase.started':
        if (!this.tty) this.println(`iteration ${event.iteration}: ${PHASE_LABEL[event.phase]} (${event.total} ${event.phase === 'train' ? 'steps' : 'games'})`);
        break;
      case 'phase.progress': {
        if (this.tty) {
          const columns = (this.out as NodeJS.WriteStream).columns ?? 120;
          this.out.write(`\r\x1b[2K${this.status().slice(0, columns - 1)}`);
          this.lineOpen = true;
        } else if (Date.now() - this.lastPlainProgress > 10_000) {
          this.lastPlainProgress = Date.now();
          this.println(this.status());
        }
        break;
      }
      case 'eval.completed':
        this.lastVsBest = event.record.vs_champion?.score ?? this.lastVsBest;
        this.lastVsRandom = event.record.vs_random?.win_rate ?? this.lastVsRandom;
        break;
      case 'best.changed':
        {
          const entry = event.best ?? event.entry;
          this.best = entry.iteration;
          this.println(`best model: iteration ${entry.iteration} (${entry.reason}${entry.note ? `: ${entry.note}` : ''})`);
        }
        break;
      case 'iteration.completed': {
        const s = event.stats;
        this.minutes += s.total_time / 60;
        this.println(
          `iteration ${this.iterationLabel(s.iteration)} done in ${formatDuration(s.total_time)}: ${s.episodes} games, ${s.transitions} positions, loss ${s.final_loss?.toFixed(3) ?? '--'}, vs best ${pct(s.eval_win_rate)} won, vs random ${pct(s.vs_random_win_rate)} won${s.promoted ? ', promoted' : ''}`,
        );
        break;
      }
      case 'run.error':
        this.println(`error: ${event.error.message}`);
        break;
      default:
        break;
    }
  }
}

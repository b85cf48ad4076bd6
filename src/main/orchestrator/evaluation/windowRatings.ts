/**
 * The rating fit the windows of a run hold: the orchestrator fits (in its worker), bounded to the
 * players a window keeps (history.ts), and pushes each new fit as ratings.fitted, so no window ever
 * needs a run's every rated match. One fit at a time; games rated meanwhile get one more fit after it.
 */
import type { UnstampedEvent } from '../../../shared/events';
import { keptIterations } from '../../../shared/history';
import type { PortableFit } from '../../../shared/ratingFitter';
import type { RunState } from '../../../shared/runState';
import type { RatedGames } from '../../../shared/stats';
import type { RatingFits } from './ratingFits';

export class WindowRatings {
  private fitted: { rated: readonly RatedGames[]; fit: Promise<PortableFit | null> } | null = null;
  private refitting: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly fits: RatingFits,
    private readonly state: () => RunState,
    private readonly push: (event: UnstampedEvent) => void,
  ) {}

  /** The fit of the run's rated games as they are now (null: none yet). */
  current(): Promise<PortableFit | null> {
    const state = this.state();
    if (this.fitted?.rated === state.rated) return this.fitted.fit;
    const fit = state.rated.length ? this.fits.windowFit(state.rated, keptIterations(state)) : Promise.resolve(null);
    this.fitted = { rated: state.rated, fit };
    fit.catch(() => {
      if (this.fitted?.fit === fit) this.fitted = null;
    });
    return fit;
  }

  /** Resolves when no refit is under way (the last one pushed). */
  async settled(): Promise<void> {
    while (this.refitting) await this.refitting;
  }

  /** The run's rated games may have changed: refit, and push the fit to the windows. */
  changed(): void {
    if (this.refitting) {
      this.again = true;
      return;
    }
    this.refitting = (async () => {
      do {
        this.again = false;
        const before = this.fitted?.rated;
        const fit = await this.current().catch(() => null);
        if (fit && this.fitted?.rated !== before) this.push({ type: 'ratings.fitted', fit });
      } while (this.again);
    })().finally(() => {
      this.refitting = null;
    });
  }
}

/**
 * A run's rating fit, computed in a worker: the page sends the matches played since its last
 * request, and renders the last fit that came back (empty until the first). Where workers are not
 * available (the component tests' DOM), it fits on the page's thread.
 */
import { useEffect, useRef, useState } from 'react';
import { EMPTY_FIT, fitRequest, fromPortable, type PortableFit } from '../../shared/ratingFitter';
import type { RatingFit } from '../../shared/ratings';
import { fitRunRatings } from '../../shared/runRatings';
import type { RatedGames } from '../../shared/stats';

export function useRatingFit(rated: readonly RatedGames[] | undefined): RatingFit {
  const [fit, setFit] = useState<RatingFit>(EMPTY_FIT);
  const worker = useRef<Worker | null>(null);
  const sent = useRef<readonly RatedGames[] | null>(null);

  useEffect(() => {
    if (typeof Worker === 'undefined') return;
    const started = new Worker(new URL('./ratingFitWorker.ts', import.meta.url), { type: 'module' });
    started.onmessage = (event: MessageEvent<PortableFit>) => setFit(fromPortable(event.data));
    worker.current = started;
    sent.current = null;
    return () => {
      started.terminate();
      worker.current = null;
    };
  }, []);

  useEffect(() => {
    const games = rated ?? [];
    if (!worker.current) {
      setFit(fitRunRatings(games));
      return;
    }
    worker.current.postMessage(fitRequest(sent.current, games));
    sent.current = games;
  }, [rated]);

  return fit;
}

/** The orchestrator's rating fit, in a worker thread: one fit answers each request, in order. */
import { parentPort } from 'node:worker_threads';
import { type FitRequest, IncrementalRatingFitter } from '../../../shared/ratingFitter';

const fitter = new IncrementalRatingFitter();
parentPort!.on('message', ({ id, request }: { id: number; request: FitRequest }) => {
  try {
    fitter.apply(request);
    parentPort!.postMessage({ id, fit: fitter.fit(request.kept) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});

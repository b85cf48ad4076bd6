/** The page's rating fit, off its thread: requests are applied as they come, and one fit answers a burst of them. */
import { type FitRequest, IncrementalRatingFitter, type PortableFit } from '../../shared/ratingFitter';

const fitter = new IncrementalRatingFitter();
let scheduled = false;
const post = (fit: PortableFit) => (self as unknown as { postMessage(m: PortableFit): void }).postMessage(fit);

self.onmessage = (event: MessageEvent<FitRequest>) => {
  fitter.apply(event.data);
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    post(fitter.fit());
  }, 0);
};

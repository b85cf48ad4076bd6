/** Runs a process attempt up to 1 + maxRetries times; a stop is never retried, nor a full disk (it stays full). */
import { isDiskFull } from '../state/diskSpace';
import { ProcessFailedError } from './processFailedError';

export async function withRetries<T>(maxRetries: number, attempt: (n: number) => Promise<T>, onRetry: (error: ProcessFailedError, n: number) => Promise<void> | void): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof ProcessFailedError) || error.cancelled || n >= maxRetries || isDiskFull(error)) throw error;
      await onRetry(error, n + 1);
    }
  }
}

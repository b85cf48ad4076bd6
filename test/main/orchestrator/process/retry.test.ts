import { describe, expect, it } from 'vitest';
import { ProcessFailedError } from '../../../../src/main/orchestrator/process/processFailedError';
import { withRetries } from '../../../../src/main/orchestrator/process/retry';

const failure = (cancelled = false) =>
  new ProcessFailedError({ processName: 'trainer', argv: ['train'], reason: 'exited with code 1', exitCode: 1, signal: null, stalled: false, cancelled, logTail: [] });

describe('withRetries', () => {
  it('retries a failed process up to maxRetries times, telling which retry it is, and returns the first success', async () => {
    const retries: number[] = [];
    const attempts: number[] = [];
    const result = await withRetries(
      2,
      async (n) => {
        attempts.push(n);
        if (n < 2) throw failure();
        return 'trained';
      },
      (_error, n) => void retries.push(n),
    );
    expect(result).toBe('trained');
    expect(attempts).toEqual([0, 1, 2]);
    expect(retries).toEqual([1, 2]);
  });

  it('gives up with the last failure after maxRetries retries', async () => {
    let attempts = 0;
    await expect(
      withRetries(
        1,
        async () => {
          attempts++;
          throw failure();
        },
        () => {},
      ),
    ).rejects.toBeInstanceOf(ProcessFailedError);
    expect(attempts).toBe(2);
  });

  it('never retries a stop, nor an error that is not a failed process', async () => {
    for (const error of [failure(true), new Error('disk full')]) {
      let attempts = 0;
      await expect(
        withRetries(
          3,
          async () => {
            attempts++;
            throw error;
          },
          () => {},
        ),
      ).rejects.toBe(error);
      expect(attempts).toBe(1);
    }
  });
});

/**
 * Works through a queue `parallel` at a time; after `signal` aborts, what was not started is
 * returned untouched (the work already under way is the caller's to stop).
 */
export async function runQueue<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<T[]> {
  const queue = [...items];
  const notStarted: T[] = [];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (signal?.aborted) notStarted.push(next);
      else await work(next);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  return notStarted;
}

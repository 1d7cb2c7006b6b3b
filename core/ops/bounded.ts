/**
 * Runs `task` over `items` with at most `concurrency` in flight, in order of the items, and
 * resolves when every started task has settled. A task's rejection is the caller's to avoid:
 * the sweeps built on this turn every failure into a value (an "uncertain" answer), so one bad
 * workspace never stops the others.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be a positive integer");
  let next = 0;
  const lane = async () => {
    while (next < items.length && !signal?.aborted) {
      const i = next++;
      await task(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

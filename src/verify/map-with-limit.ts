/**
 * `Promise.all(items.map(work))` with at most `limit` calls of `work` running at once;
 * results keep the order of `items`. `work` is expected not to throw (callers turn a host's
 * failure into data): one rejection rejects the whole, as Promise.all does.
 */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`parallelism must be a whole number of at least 1, not ${limit}`);
  }
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

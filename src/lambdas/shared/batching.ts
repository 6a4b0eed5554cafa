/** Limits of one batched API call. */
export interface BatchLimits {
  /** Most items one call may carry. */
  readonly maxCount: number;
  /** Most bytes (summed item sizes) one call may carry. */
  readonly maxBytes: number;
}

/**
 * Splits `items` in order into the fewest consecutive batches that each stay
 * within `limits`. An item larger than `maxBytes` on its own cannot be sent at
 * all, so callers must filter those out first; meeting one is a RangeError.
 */
export function batchBy<T>(items: readonly T[], sizeOf: (item: T) => number, limits: BatchLimits): T[][] {
  if (limits.maxCount < 1 || limits.maxBytes < 1) {
    throw new RangeError(`batch limits must be positive, got ${limits.maxCount} items and ${limits.maxBytes} bytes`);
  }
  const batches: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (size > limits.maxBytes) {
      throw new RangeError(`an item of ${size} bytes exceeds the batch limit of ${limits.maxBytes} bytes`);
    }
    if (current.length > 0 && (current.length === limits.maxCount || currentBytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Maps `items` through `work` with at most `concurrency` calls in flight; results keep input order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}

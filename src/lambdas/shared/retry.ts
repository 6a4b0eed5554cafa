/** How often, and how patiently, to retry the part of a batch that failed. */
export interface RetryPolicy {
  /** Calls in all, the first included. */
  readonly maxAttempts: number;
  /** Upper bound of the delay before the first retry, in milliseconds. */
  readonly baseDelayMs: number;
  /** Cap on any single delay, in milliseconds. */
  readonly maxDelayMs: number;
}

/** Four calls, delays capped at 50, 100 and 200 ms: under 0.4 s of waiting in all. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 1000 };

/**
 * The delay before retry number `retry` (1 for the first retry): exponential
 * growth with full jitter, so concurrent callers that failed together spread out.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

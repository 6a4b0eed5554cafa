// Waiting between polls: a delay that an AbortSignal (Ctrl-C) cuts short,
// and the growing delays of a backoff.

/** Resolves after `ms`, or at once (without error) when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** How long to wait between polls. */
export interface Backoff {
  /** The first delay, in milliseconds. */
  readonly initialMs: number;
  /** The longest delay, in milliseconds. @default 10 * initialMs */
  readonly maxMs?: number;
  /** Each delay is the previous one times this. @default 1.5 */
  readonly factor?: number;
}

/** The delay before poll number `attempt` (0 for the first wait). */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  const max = backoff.maxMs ?? backoff.initialMs * 10;
  return Math.min(max, Math.round(backoff.initialMs * (backoff.factor ?? 1.5) ** attempt));
}

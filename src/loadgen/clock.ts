/** The time source of a run, injectable so that tests control it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `fn` once, `ms` milliseconds from now; returns a handle for `clear`. */
  schedule(fn: () => void, ms: number): unknown;
  /** Cancels a call made with `schedule`, if it has not run yet. */
  clear(handle: unknown): void;
}

/** The wall clock and Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A clock that only moves when told to, running due calls in time order. */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2024, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.current + Math.max(0, ms), fn });
    return id;
  }

  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Moves time forward by `ms`, running every call that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let nextId: number | undefined;
      let next: { at: number; fn: () => void } | undefined;
      for (const [id, entry] of this.pending) {
        if (entry.at <= target && (next === undefined || entry.at < next.at)) {
          next = entry;
          nextId = id;
        }
      }
      if (next === undefined) break;
      this.pending.delete(nextId!);
      this.current = next.at;
      next.fn();
    }
    this.current = target;
  }
}

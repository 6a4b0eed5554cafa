import type { UsersConfig } from './config';
import { MinHeap, type Timed } from './heap';
import { formatUuid, type Random } from './random';

/** Receives what the simulated users do. */
export interface SimulationSink {
  /** A user saw an ad. Returns a token that comes back with a click on this impression. */
  impression(impressionId: string, adId: string, occurredAt: number): number;
  /** A user clicked an ad it saw; `token` is what `impression` returned for that view. */
  click(clickId: string, impressionId: string, adId: string, occurredAt: number, token: number): void;
}

/** A fixed set of ad ids, drawn once at the start; 16 bytes an ad, formatted when picked. */
export class AdPool {
  private readonly words: Uint32Array;

  constructor(
    readonly count: number,
    random: Random,
  ) {
    this.words = new Uint32Array(count * 4);
    for (let i = 0; i < this.words.length; i++) this.words[i] = random.uint32();
  }

  /** The id of ad number `index`. */
  id(index: number): string {
    const w = this.words;
    const i = index * 4;
    return formatUuid(w[i]!, w[i + 1]!, w[i + 2]!, w[i + 3]!);
  }

  /** The id of an ad chosen uniformly at random. */
  pick(random: Random): string {
    return this.id(Math.floor(random.next() * this.count));
  }
}

const VIEW = 0;
const CLICK = 1;

interface Event extends Timed {
  kind: typeof VIEW | typeof CLICK;
  impressionId: string;
  adId: string;
  token: number;
}

/** Counts of what the users have done so far. */
export interface SimulationCounts {
  /** Impressions emitted. */
  readonly impressions: number;
  /** Clicks emitted. */
  readonly clicks: number;
  /** Clicks decided on but not yet due. */
  readonly pendingClicks: number;
}

/**
 * Every simulated user, driven by one schedule. A user views a random ad
 * every `viewFrequencyMs` (± the variance), which is an impression; with
 * `clickthroughProbability` it clicks that ad `considerDurationMs` later
 * (± the variance). First views are spread over one view interval so that
 * the load is steady from the start rather than a burst.
 */
export class Simulation {
  private readonly heap = new MinHeap<Event>();
  private impressions = 0;
  private clicks = 0;
  private pending = 0;

  constructor(
    private readonly users: UsersConfig,
    private readonly ads: AdPool,
    private readonly random: Random,
    private readonly sink: SimulationSink,
    start: number,
  ) {
    for (let i = 0; i < users.count; i++) {
      this.heap.push({
        at: start + random.next() * users.viewFrequencyMs,
        kind: VIEW,
        impressionId: '',
        adId: '',
        token: 0,
      });
    }
  }

  /** The time of the next thing any user does. */
  get nextAt(): number {
    return this.heap.peek()?.at ?? Infinity;
  }

  get counts(): SimulationCounts {
    return { impressions: this.impressions, clicks: this.clicks, pendingClicks: this.pending };
  }

  /**
   * Runs everything due up to and including `until` (simulation time).
   * `stampOffset` is added to each event's time for its `occurred_at`, so
   * that a run which paused for back-pressure still stamps wall-clock time.
   * Returns how many events were emitted.
   */
  advance(until: number, stampOffset = 0): number {
    const { heap, random, users, sink } = this;
    let emitted = 0;
    for (let event = heap.peek(); event !== undefined && event.at <= until; event = heap.peek()) {
      const at = event.at;
      if (event.kind === CLICK) {
        heap.pop();
        this.pending--;
        this.clicks++;
        sink.click(random.uuid(), event.impressionId, event.adId, at + stampOffset, event.token);
      } else {
        const impressionId = random.uuid();
        const adId = this.ads.pick(random);
        const token = sink.impression(impressionId, adId, at + stampOffset);
        this.impressions++;
        event.at = at + jitter(users.viewFrequencyMs, users.viewVariance, random);
        heap.rescheduleTop();
        if (random.next() < users.clickthroughProbability) {
          this.pending++;
          const clickAt = at + jitter(users.considerDurationMs, users.considerVariance, random);
          heap.push({ at: clickAt, kind: CLICK, impressionId, adId, token });
        }
      }
      emitted++;
    }
    return emitted;
  }
}

/** `base` moved by up to ±`variance` of itself, uniformly. */
function jitter(base: number, variance: number, random: Random): number {
  return variance === 0 ? base : base * (1 + variance * (2 * random.next() - 1));
}

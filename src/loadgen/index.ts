import { UsageError } from '../errors';
import type { IO } from '../io';
import { interruptOnSigint } from '../interrupt';
import { systemClock, type Clock } from './clock';
import { loadConfig, type LoadgenConfig } from './config';
import { formatDuration } from './duration';
import { Progress } from './progress';
import { SeededRandom } from './random';
import { Sender } from './sender';
import { AdPool, Simulation } from './simulation';
import { assertAccepted, type LoadgenResult } from './summary';

export { type LoadgenConfig } from './config';
export { ManualClock, type Clock } from './clock';
export {
  assertAccepted,
  formatLoadgen,
  LoadFailedError,
  recordsFailed,
  recordsPerSecond,
  recordsSent,
  type LoadgenResult,
} from './summary';

/** How a run behaves beyond what the configuration file says. */
export interface RunOptions {
  /** Requests in flight at most, over both endpoints. @default 16 */
  readonly concurrency?: number;
  /** A partial batch is sent once its oldest record is this many milliseconds old. @default 1000 */
  readonly flushIntervalMs?: number;
  /** A request with no answer after this many milliseconds counts as a transport error. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Milliseconds between two steps of the simulation. @default 10 */
  readonly tickMs?: number;
  /** Seeds the random choices (ad ids, timings, clicks) so that a run can be replayed. @default a random seed */
  readonly seed?: number;
  /** The time source. @default the system clock */
  readonly clock?: Clock;
  /** Stops the run early: the users stop, partial batches are sent and answers awaited. @default never */
  readonly signal?: AbortSignal;
}

/** Options of `dataless loadgen`, as the command line gives them. */
export interface LoadgenOptions {
  /** The YAML configuration file, relative to the working directory. */
  readonly configFile: string;
  /** Replaces the file's `BaseURL`. @default the file's value */
  readonly baseUrl?: string;
  /** Replaces the file's `Duration`, as a Go duration (`30s`, `1h30m`). @default the file's value */
  readonly duration?: string;
  /** Requests in flight at most, as a whole number in text (`--concurrency`). @default 16 */
  readonly concurrency?: string;
  /** Seeds the random choices, as a whole number in text (`--seed`), so that a run can be replayed. @default a random seed */
  readonly seed?: string;
  /** Stops the run early: the users stop, partial batches are sent and answers awaited. @default the first Ctrl-C (SIGINT) */
  readonly signal?: AbortSignal;
}

/**
 * Reads the configuration, then simulates users viewing and clicking ads and
 * posts their impressions and clicks to the capture API until the duration
 * is up or Ctrl-C is pressed. Writes progress to stderr and returns what the
 * run did (`formatLoadgen` gives its summary); throws `LoadFailedError` (exit 1),
 * the run attached, unless every record was accepted.
 */
export async function loadgen(options: LoadgenOptions, io: IO): Promise<LoadgenResult> {
  const concurrency =
    options.concurrency === undefined ? undefined : wholeNumberFlag('--concurrency', options.concurrency);
  const seed = options.seed === undefined ? undefined : wholeNumberFlag('--seed', options.seed);
  const config = await loadConfig(options.configFile, {
    cwd: io.cwd,
    env: io.env,
    overrides: { baseUrl: options.baseUrl, duration: options.duration },
  });
  const interrupt = interruptOnSigint(options.signal);
  let result: LoadgenResult;
  try {
    result = await runLoad(config, { concurrency, seed, signal: interrupt.signal }, io);
  } finally {
    interrupt.dispose();
  }
  assertAccepted(result);
  return result;
}

/** Runs a validated configuration; failed records are in the result, not thrown (see `assertAccepted`). */
export async function runLoad(config: LoadgenConfig, options: RunOptions, io: IO): Promise<LoadgenResult> {
  const concurrency = positiveInteger('concurrency', options.concurrency ?? 16);
  const tickMs = positiveNumber('tick', options.tickMs ?? 10);
  const flushIntervalMs = positiveNumber('flush interval', options.flushIntervalMs ?? 1000);
  const requestTimeoutMs = positiveNumber('request timeout', options.requestTimeoutMs ?? 30_000);
  const clock = options.clock ?? systemClock;
  const signal = options.signal;
  // Beyond this many batches waiting for a connection the users are held
  // back, as the original's unbuffered channels held back its goroutines.
  const maxBacklog = concurrency * 4;

  const random = new SeededRandom(options.seed);
  const progress = new Progress(io);
  const sender = new Sender({ baseUrl: config.baseUrl, concurrency, flushIntervalMs, requestTimeoutMs }, progress);
  const ads = new AdPool(config.adsCount, random);
  const { users } = config;
  const offered = (users.count * 1000 * (1 + users.clickthroughProbability)) / users.viewFrequencyMs;
  io.err(
    `loadgen: ${users.count} users, ${config.adsCount} ads, about ${Math.round(offered)} records/s for ` +
      `${formatDuration(config.durationMs)} to ${config.baseUrl} (. batch accepted, E no answer, F refused)\n`,
  );

  const start = clock.now();
  const end = start + config.durationMs;
  const simulation = new Simulation(users, ads, random, sender, start);
  let lag = 0;
  let last = start;
  let interrupted = false;

  // One timer drives every user: each step runs what fell due since the last.
  const step = (now: number) => {
    if (sender.backlog > maxBacklog) {
      lag += now - last;
    } else {
      sender.setTime(now);
      simulation.advance(now - lag, lag);
    }
    last = now;
    sender.flushStale(now);
  };
  await new Promise<void>((resolve) => {
    let handle: unknown;
    const onAbort = () => {
      interrupted = true;
      clock.clear(handle);
      step(Math.min(clock.now(), end));
      resolve();
    };
    const tick = () => {
      const now = Math.min(clock.now(), end);
      step(now);
      if (now >= end) {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      } else {
        handle = clock.schedule(tick, Math.min(tickMs, end - now));
      }
    };
    if (signal?.aborted) {
      interrupted = true;
      resolve();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    tick();
  });

  if (interrupted) progress.line('loadgen: interrupted; sending the partial batches and waiting for the answers');
  try {
    await sender.drain();
  } finally {
    progress.endLine();
    sender.close();
  }
  const stats = sender.stats();
  const result: LoadgenResult = {
    impressions: stats.impressions,
    clicks: stats.clicks,
    elapsedMs: clock.now() - start,
    pausedMs: lag,
    interrupted,
    configuredClickthrough: users.clickthroughProbability,
  };
  return result;
}

function wholeNumberFlag(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new UsageError(`${flag} is ${JSON.stringify(text)}; it must be a whole number`);
  }
  return value;
}

function positiveInteger(what: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new UsageError(`the ${what} is ${value}; it must be a whole number of at least 1`);
  return value;
}

function positiveNumber(what: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`the ${what} is ${value}; it must be a number above 0`);
  return value;
}

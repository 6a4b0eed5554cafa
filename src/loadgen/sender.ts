import { STATUS_CODES } from 'node:http';
import { readAnswer } from './answer';
import { createAgents, destroyAgents, postJson, type Agents } from './http';
import type { Progress } from './progress';
import type { SimulationSink } from './simulation';

/** The capture API accepts at most this many records in one request. */
export const MAX_BATCH_SIZE = 500;

/** How the sender batches and posts. */
export interface SenderOptions {
  /** The capture API's base URL; `/impressions` and `/clicks` are appended to its path. */
  readonly baseUrl: string;
  /** Requests in flight at most, over both endpoints. */
  readonly concurrency: number;
  /** A partial batch is sent once its oldest record is this many milliseconds old. */
  readonly flushIntervalMs: number;
  /** A request with no answer after this many milliseconds counts as a transport error. */
  readonly requestTimeoutMs: number;
  /** Records in a full batch. @default 500 */
  readonly batchSize?: number;
}

/** What happened to the batches of one endpoint. */
export interface EndpointStats {
  /** Records posted, in any outcome. */
  readonly records: number;
  /** Batches posted. */
  readonly batches: number;
  /** Batches answered 200 with a well-formed body (`.`). */
  readonly acceptedBatches: number;
  /** Batches that got no answer: refused, reset, timed out (`E`). */
  readonly transportErrors: number;
  /** Batches answered with another status or an unreadable body (`F`). */
  readonly badAnswers: number;
  /** Records lost: every record of an `E` or `F` batch, plus those an accepted batch marked failed. */
  readonly failedRecords: number;
}

interface Batch {
  readonly seq: number;
  readonly records: string[];
  /** The impressions batch that must be answered before this clicks batch goes out, or -1. */
  readonly after: number;
}

type Kind = 'impressions' | 'clicks';

/** One endpoint's open batch, its counters, and which of its batches have been answered. */
class Endpoint {
  open: string[] = [];
  openedAt = 0;
  openSeq = 0;
  openAfter = -1;
  records = 0;
  batches = 0;
  acceptedBatches = 0;
  transportErrors = 0;
  badAnswers = 0;
  failedRecords = 0;
  private settledBelow = 0;
  private readonly settledAhead = new Set<number>();
  private waiters: { seq: number; resolve: () => void }[] = [];

  constructor(
    readonly kind: Kind,
    readonly url: URL,
    private readonly flushOpen: () => void,
  ) {}

  /** Resolves once batch `seq` and every batch before it has been answered (or failed). */
  settled(seq: number): Promise<void> {
    if (seq < this.settledBelow) return Promise.resolve();
    if (seq === this.openSeq && this.open.length > 0) this.flushOpen();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  markSettled(seq: number): void {
    this.settledAhead.add(seq);
    while (this.settledAhead.delete(this.settledBelow)) this.settledBelow++;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.seq < this.settledBelow);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.seq >= this.settledBelow);
    for (const waiter of ready) waiter.resolve();
  }

  stats(): EndpointStats {
    const { records, batches, acceptedBatches, transportErrors, badAnswers, failedRecords } = this;
    return { records, batches, acceptedBatches, transportErrors, badAnswers, failedRecords };
  }
}

/**
 * Turns the users' events into batches of at most 500 records per endpoint
 * and posts them with bounded concurrency over keep-alive connections.
 * A clicks batch goes out only after the impressions it refers to have been
 * answered, so the API never sees a click before its impression.
 */
export class Sender implements SimulationSink {
  private readonly impressions: Endpoint;
  private readonly clicks: Endpoint;
  private readonly agents: Agents;
  private readonly batchSize: number;
  private outstanding = 0;
  private inFlight = 0;
  private readonly slotQueue: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private now = 0;

  constructor(
    private readonly options: SenderOptions,
    private readonly progress: Progress,
  ) {
    this.impressions = new Endpoint('impressions', endpointUrl(options.baseUrl, 'impressions'), () =>
      this.flush(this.impressions),
    );
    this.clicks = new Endpoint('clicks', endpointUrl(options.baseUrl, 'clicks'), () => this.flush(this.clicks));
    this.agents = createAgents(options.concurrency);
    this.batchSize = options.batchSize ?? MAX_BATCH_SIZE;
  }

  /** Batches not yet on the wire: the measure of back-pressure. */
  get backlog(): number {
    return this.outstanding - this.inFlight;
  }

  /** Sets the time that opens a batch; called by the driver before it advances the users. */
  setTime(now: number): void {
    this.now = now;
  }

  impression(impressionId: string, adId: string, occurredAt: number): number {
    const json = `{"impression_id":"${impressionId}","ad_id":"${adId}","occurred_at":"${new Date(occurredAt).toISOString()}"}`;
    return this.add(this.impressions, json, -1);
  }

  click(clickId: string, impressionId: string, adId: string, occurredAt: number, token: number): void {
    const json = `{"click_id":"${clickId}","impression_id":"${impressionId}","ad_id":"${adId}","occurred_at":"${new Date(occurredAt).toISOString()}"}`;
    this.add(this.clicks, json, token);
  }

  /** Sends the partial batches whose oldest record has waited the flush interval. */
  flushStale(now: number): void {
    for (const endpoint of [this.impressions, this.clicks]) {
      if (endpoint.open.length > 0 && now - endpoint.openedAt >= this.options.flushIntervalMs) this.flush(endpoint);
    }
  }

  /** Sends every partial batch and resolves when no request is left in flight. */
  async drain(): Promise<void> {
    this.flush(this.impressions);
    this.flush(this.clicks);
    if (this.outstanding > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Closes the kept-alive connections. */
  close(): void {
    destroyAgents(this.agents);
  }

  stats(): { readonly impressions: EndpointStats; readonly clicks: EndpointStats } {
    return { impressions: this.impressions.stats(), clicks: this.clicks.stats() };
  }

  private add(endpoint: Endpoint, json: string, after: number): number {
    if (endpoint.open.length === 0) endpoint.openedAt = this.now;
    endpoint.open.push(json);
    if (after > endpoint.openAfter) endpoint.openAfter = after;
    const seq = endpoint.openSeq;
    if (endpoint.open.length >= this.batchSize) this.flush(endpoint);
    return seq;
  }

  private flush(endpoint: Endpoint): void {
    if (endpoint.open.length === 0) return;
    const batch: Batch = { seq: endpoint.openSeq, records: endpoint.open, after: endpoint.openAfter };
    endpoint.open = [];
    endpoint.openSeq++;
    endpoint.openAfter = -1;
    endpoint.records += batch.records.length;
    endpoint.batches++;
    this.outstanding++;
    void this.send(endpoint, batch);
  }

  private async send(endpoint: Endpoint, batch: Batch): Promise<void> {
    try {
      if (batch.after >= 0) await this.impressions.settled(batch.after);
      await this.acquireSlot();
      try {
        await this.post(endpoint, batch);
      } finally {
        this.releaseSlot();
      }
    } finally {
      endpoint.markSettled(batch.seq);
      if (--this.outstanding === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  private async post(endpoint: Endpoint, batch: Batch): Promise<void> {
    const count = batch.records.length;
    const body = `{"${endpoint.kind}":[${batch.records.join(',')}]}`;
    const target = `${endpoint.kind}: POST ${endpoint.url.href}`;
    let status: number;
    let text: string;
    try {
      ({ status, body: text } = await postJson(endpoint.url, body, this.agents, this.options.requestTimeoutMs));
    } catch (error) {
      endpoint.transportErrors++;
      endpoint.failedRecords += count;
      this.progress.mark('E');
      this.progress.line(`${target} failed: ${describeError(error)}`);
      return;
    }
    if (status !== 200) {
      endpoint.badAnswers++;
      endpoint.failedRecords += count;
      this.progress.mark('F');
      this.progress.line(`${target} answered ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd() + excerpt(text));
      return;
    }
    const answer = readAnswer(text, count);
    if (typeof answer === 'string') {
      endpoint.badAnswers++;
      endpoint.failedRecords += count;
      this.progress.mark('F');
      this.progress.line(`${target} answered 200 but ${answer}${excerpt(text)}`);
      return;
    }
    endpoint.acceptedBatches++;
    endpoint.failedRecords += answer.failed;
    this.progress.mark('.');
    if (answer.failed > 0) {
      const reasons = [...answer.errors].map(([code, e]) => `${code} ×${e.count}${e.message ? ` (${e.message})` : ''}`);
      this.progress.line(`${endpoint.kind}: ${answer.failed} of ${count} records failed: ${reasons.join(', ')}`);
    }
  }

  private acquireSlot(): Promise<void> {
    if (this.inFlight < this.options.concurrency) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slotQueue.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.slotQueue.shift();
    if (next)
      next(); // the slot passes on; inFlight stays the same
    else this.inFlight--;
  }
}

/** `base` with `/impressions` or `/clicks` appended to its path, keeping any query. */
export function endpointUrl(base: string, kind: Kind): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${kind}`;
  return url;
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return [...new Set(error.errors.map((e) => describeError(e)))].join('; ');
  }
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '';
  return `: ${flat.length > 200 ? `${flat.slice(0, 200)}…` : flat}`;
}

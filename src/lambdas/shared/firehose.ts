import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { batchBy, mapConcurrently, type BatchLimits } from './batching';
import { backoffDelay, DEFAULT_RETRY, sleep, type RetryPolicy } from './retry';

/** PutRecordBatch takes at most 500 records and 4 MiB per call. */
export const PUT_RECORD_BATCH_LIMITS: BatchLimits = { maxCount: 500, maxBytes: 4 * 1024 * 1024 };

/** Firehose refuses any single record over 1,000 KiB. */
export const MAX_RECORD_BYTES = 1000 * 1024;

/** Below this much time left in the invocation, no further retry is started. */
const DEADLINE_MARGIN_MS = 1000;

/** What became of one record. */
export interface DeliveryOutcome {
  readonly failed: boolean;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export interface DeliverOptions {
  /** The client to send with. */
  readonly client: Pick<FirehoseClient, 'send'>;
  /** Name of the delivery stream. */
  readonly streamName: string;
  /** The records, each at most MAX_RECORD_BYTES. */
  readonly records: readonly Uint8Array[];
  /** Retry policy for records Firehose reports failed. @default DEFAULT_RETRY */
  readonly retry?: RetryPolicy;
  /** Calls in flight at once when the records need several. @default 4 */
  readonly concurrency?: number;
  /** Milliseconds left in the invocation; no retry starts too close to the end. @default unlimited */
  readonly remainingMs?: () => number;
  /** Waits between attempts (replaceable in tests). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1). @default Math.random */
  readonly random?: () => number;
}

interface Pending {
  readonly index: number;
  readonly data: Uint8Array;
}

/**
 * Puts `records` on a delivery stream with PutRecordBatch, in as few calls as
 * its limits allow, retrying only the records a call reports failed. Returns
 * one outcome per record, in input order; a record that still fails after the
 * last attempt carries Firehose's error code and message. A call that throws
 * (after the SDK's own retries of throttling and server errors) fails all the
 * records it carried.
 */
export async function deliverRecords(options: DeliverOptions): Promise<DeliveryOutcome[]> {
  const outcomes = new Array<DeliveryOutcome>(options.records.length);
  const pending = options.records.map((data, index): Pending => {
    if (data.byteLength > MAX_RECORD_BYTES) {
      throw new RangeError(`record ${index} is ${data.byteLength} bytes; firehose accepts at most ${MAX_RECORD_BYTES}`);
    }
    return { index, data };
  });
  const batches = batchBy(pending, (p) => p.data.byteLength, PUT_RECORD_BATCH_LIMITS);
  await mapConcurrently(batches, options.concurrency ?? 4, (batch) => deliverBatch(batch, options, outcomes));
  return outcomes;
}

async function deliverBatch(batch: Pending[], options: DeliverOptions, outcomes: DeliveryOutcome[]): Promise<void> {
  const policy = options.retry ?? DEFAULT_RETRY;
  const wait = options.sleep ?? sleep;
  let pending = batch;
  for (let attempt = 1; pending.length > 0; attempt++) {
    let output;
    try {
      output = await options.client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: options.streamName,
          Records: pending.map((p) => ({ Data: p.data })),
        }),
      );
    } catch (error) {
      const { code, message } = describeError(error);
      for (const p of pending) outcomes[p.index] = { failed: true, errorCode: code, errorMessage: message };
      return;
    }
    const responses = output.RequestResponses ?? [];
    const stillFailing: Pending[] = [];
    pending.forEach((p, i) => {
      const response = responses[i];
      if (response === undefined) {
        outcomes[p.index] = {
          failed: true,
          errorCode: 'MissingResponse',
          errorMessage: `firehose answered ${responses.length} of ${pending.length} records`,
        };
        stillFailing.push(p);
      } else if (response.ErrorCode) {
        outcomes[p.index] = {
          failed: true,
          errorCode: response.ErrorCode,
          errorMessage: response.ErrorMessage ?? '',
        };
        stillFailing.push(p);
      } else {
        outcomes[p.index] = { failed: false };
      }
    });
    pending = stillFailing;
    if (pending.length === 0 || attempt >= policy.maxAttempts) return;
    const delay = backoffDelay(attempt, policy, options.random);
    if (options.remainingMs && options.remainingMs() - delay < DEADLINE_MARGIN_MS) return;
    await wait(delay);
  }
}

function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof Error) {
    const requestId = (error as { $metadata?: { requestId?: string } }).$metadata?.requestId;
    const suffix = requestId ? ` (request id ${requestId})` : '';
    return { code: error.name || 'Error', message: `${error.message}${suffix}` };
  }
  return { code: 'Error', message: String(error) };
}

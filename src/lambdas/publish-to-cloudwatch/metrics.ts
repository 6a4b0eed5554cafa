import { batchBy } from '../shared/batching';
import { jsonType } from '../shared/http';
import { parseTimestamp } from '../shared/time';

/** One metric row from a real-time application: `{namespace, name, at, value}`. */
export interface Metric {
  readonly namespace: string;
  readonly name: string;
  readonly at: Date;
  readonly value: number;
}

/** PutMetricData takes at most 1000 metric data items per call. */
export const MAX_METRIC_DATA_PER_CALL = 1000;

/**
 * PutMetricData requests may be at most 1 MB. The JSON body is held to a
 * decimal megabyte, which leaves the headers room below 1 MiB too.
 */
export const MAX_REQUEST_BODY_BYTES = 1_000_000;

// CloudWatch's own limits: a record outside them would fail its whole call
// on every retry, so it is dropped at parse time instead.
const MAX_NAME_LENGTH = 255;
const NAMESPACE = /^[A-Za-z0-9._/#:\- ]*[A-Za-z0-9._/#:-][A-Za-z0-9._/#:\- ]*$/;
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;
const MAX_AHEAD_MS = 2 * 3600 * 1000;
const MAX_MAGNITUDE = 2 ** 360;

export type Parsed = { readonly ok: true; readonly metric: Metric } | { readonly ok: false; readonly reason: string };

/** Decodes one output record's base64 `data` into a metric CloudWatch will accept at `nowMs`. */
export function parseMetric(data: string, nowMs: number): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `data is not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `data must be a JSON object, got ${jsonType(value)}` };
  }
  const row = value as Record<string, unknown>;
  const { namespace, name, at, value: amount } = row;
  if (typeof namespace !== 'string' || namespace.length > MAX_NAME_LENGTH || !NAMESPACE.test(namespace)) {
    return { ok: false, reason: `namespace ${show(namespace)} is not a CloudWatch namespace` };
  }
  if (namespace.startsWith('AWS/')) return { ok: false, reason: `namespace ${show(namespace)} is reserved for AWS` };
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
    return { ok: false, reason: `name ${show(name)} is not a metric name of 1 to ${MAX_NAME_LENGTH} characters` };
  }
  const timestamp = typeof at === 'string' ? parseTimestamp(at) : undefined;
  if (!timestamp) return { ok: false, reason: `at ${show(at)} is not a timestamp` };
  if (timestamp.epochMs < nowMs - MAX_AGE_MS || timestamp.epochMs > nowMs + MAX_AHEAD_MS) {
    return {
      ok: false,
      reason: `at ${show(at)} is outside what CloudWatch accepts (two weeks back to two hours ahead)`,
    };
  }
  if (typeof amount !== 'number' || !Number.isFinite(amount) || Math.abs(amount) > MAX_MAGNITUDE) {
    return { ok: false, reason: `value ${show(amount)} is not a number CloudWatch accepts` };
  }
  return { ok: true, metric: { namespace, name, at: new Date(timestamp.epochMs), value: amount } };
}

/** A metric together with the output record it came from. */
export interface Entry {
  readonly recordId: string;
  readonly metric: Metric;
}

/** One PutMetricData call: a namespace and at most MAX_METRIC_DATA_PER_CALL entries in MAX_REQUEST_BODY_BYTES. */
export interface Call {
  readonly namespace: string;
  readonly entries: readonly Entry[];
}

/** Bytes one metric adds to the JSON body the SDK sends (epoch-second timestamp, escaped name), its comma included. */
function datumBytes(metric: Metric): number {
  const datum = { MetricName: metric.name, Timestamp: metric.at.getTime() / 1000, Value: metric.value };
  return Buffer.byteLength(JSON.stringify(datum)) + 1;
}

/** Groups entries by namespace (first seen first) into the fewest calls the API's count and size limits allow. */
export function planCalls(
  entries: readonly Entry[],
  maxPerCall: number = MAX_METRIC_DATA_PER_CALL,
  maxBodyBytes: number = MAX_REQUEST_BODY_BYTES,
): Call[] {
  const byNamespace = new Map<string, Entry[]>();
  for (const entry of entries) {
    const group = byNamespace.get(entry.metric.namespace);
    if (group) group.push(entry);
    else byNamespace.set(entry.metric.namespace, [entry]);
  }
  const calls: Call[] = [];
  for (const [namespace, group] of byNamespace) {
    const envelope = Buffer.byteLength(JSON.stringify({ Namespace: namespace, MetricData: [] }));
    const limits = { maxCount: maxPerCall, maxBytes: maxBodyBytes - envelope };
    for (const batch of batchBy(group, (entry) => datumBytes(entry.metric), limits)) {
      calls.push({ namespace, entries: batch });
    }
  }
  return calls;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value);
  if (typeof value === 'number') return String(value);
  return jsonType(value);
}

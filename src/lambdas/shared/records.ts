import { MAX_RECORD_BYTES } from './firehose';
import { jsonType } from './http';
import { parseTimestamp } from './time';

/** The shape of one kind of captured event. */
export interface RecordKind {
  /** Key of the batch array in the request body. */
  readonly batchKey: string;
  /** Singular name used in messages. */
  readonly noun: string;
  /** Identifier fields, each a required non-empty string, in output order. */
  readonly idFields: readonly string[];
}

/** `{impression_id, ad_id, occurred_at}` batched under "impressions". */
export const IMPRESSIONS: RecordKind = {
  batchKey: 'impressions',
  noun: 'impression',
  idFields: ['impression_id', 'ad_id'],
};

/** An impression's fields plus `click_id`, batched under "clicks". */
export const CLICKS: RecordKind = {
  batchKey: 'clicks',
  noun: 'click',
  idFields: ['click_id', 'impression_id', 'ad_id'],
};

const TIMESTAMP_FIELD = 'occurred_at';

/** Either the line to deliver or why the record cannot be delivered. */
export type Validated = { readonly ok: true; readonly line: Buffer } | { readonly ok: false; readonly message: string };

/**
 * Checks one submitted record and renders it as the newline-terminated JSON
 * line the delivery stream stores: the id fields, then `occurred_at` in the
 * warehouse's canonical UTC form (`YYYY-MM-DD HH:MM:SS[.mmm]`).
 */
export function validateRecord(value: unknown, kind: RecordKind): Validated {
  const fields = [...kind.idFields, TIMESTAMP_FIELD];
  const article = /^[aeiou]/.test(kind.noun) ? 'an' : 'a';
  const needs = `${article} ${kind.noun} needs string fields ${fields.join(', ')}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: `${article} ${kind.noun} must be a JSON object, got ${jsonType(value)}; ${needs}` };
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !fields.includes(key));
  if (unknown.length > 0) {
    const list = unknown.map((key) => JSON.stringify(key)).join(', ');
    return { ok: false, message: `unknown field ${list}; ${needs}` };
  }
  const out: Record<string, string> = {};
  for (const field of kind.idFields) {
    const id = record[field];
    if (id === undefined) return { ok: false, message: `${field} is missing; ${needs}` };
    if (typeof id !== 'string' || id.trim() === '') {
      return { ok: false, message: `${field} must be a non-empty string, got ${describe(id)}` };
    }
    out[field] = id;
  }
  const at = record[TIMESTAMP_FIELD];
  if (at === undefined) return { ok: false, message: `${TIMESTAMP_FIELD} is missing; ${needs}` };
  const parsed = typeof at === 'string' ? parseTimestamp(at) : undefined;
  if (!parsed) {
    return {
      ok: false,
      message: `${TIMESTAMP_FIELD} ${describe(at)} is not a timestamp; use "YYYY-MM-DD HH:MM:SS" in UTC or ISO 8601`,
    };
  }
  out[TIMESTAMP_FIELD] = parsed.canonical;
  const line = Buffer.from(`${JSON.stringify(out)}\n`, 'utf8');
  if (line.byteLength > MAX_RECORD_BYTES) {
    return {
      ok: false,
      message: `the ${kind.noun} is ${line.byteLength} bytes; firehose accepts at most ${MAX_RECORD_BYTES}`,
    };
  }
  return { ok: true, line };
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 64 ? `${value.slice(0, 64)}...` : value;
    return JSON.stringify(shown);
  }
  return jsonType(value);
}

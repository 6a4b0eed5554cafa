/** What the capture API said about one batch it answered with 200. */
export interface BatchAnswer {
  /** Records the API marked as failed. */
  readonly failed: number;
  /** The failures grouped by error code: how many, and the first message seen. */
  readonly errors: ReadonlyMap<string, { readonly count: number; readonly message: string }>;
}

/**
 * Reads a capture API answer, `{"failed_count": N, "records": [{"failed":
 * bool, "error_code", "error_message"}, ...]}` with one record per record
 * sent, in order. Returns a string saying what is wrong when the body breaks
 * that contract.
 */
export function readAnswer(body: string, sent: number): BatchAnswer | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return `the body is not JSON (${(error as Error).message})`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'the body is not a JSON object';
  const { records, failed_count: failedCount } = parsed as { records?: unknown; failed_count?: unknown };
  if (!Array.isArray(records)) return 'the body has no "records" list';
  if (records.length !== sent) return `"records" has ${records.length} entries for the ${sent} records sent`;
  let failed = 0;
  const errors = new Map<string, { count: number; message: string }>();
  for (let i = 0; i < records.length; i++) {
    const record: unknown = records[i];
    if (typeof record !== 'object' || record === null || typeof (record as { failed?: unknown }).failed !== 'boolean') {
      return `records[${i}] has no boolean "failed"`;
    }
    const {
      failed: isFailed,
      error_code: code,
      error_message: message,
    } = record as {
      failed: boolean;
      error_code?: unknown;
      error_message?: unknown;
    };
    if (!isFailed) continue;
    failed++;
    const key = typeof code === 'string' && code !== '' ? code : 'unknown error';
    const entry = errors.get(key);
    if (entry) entry.count++;
    else errors.set(key, { count: 1, message: typeof message === 'string' ? message : '' });
  }
  if (failedCount !== undefined && failedCount !== failed) {
    return `"failed_count" is ${JSON.stringify(failedCount)} but ${failed} records are marked failed`;
  }
  return { failed, errors };
}

import { FirehoseClient } from '@aws-sdk/client-firehose';
import { lazily, requireEnv } from './env';
import type { ApiGatewayProxyEvent, ApiGatewayProxyResult, LambdaContext } from './events';
import { deliverRecords, type DeliverOptions } from './firehose';
import { BadRequestError, badRequest, internalError, jsonBody, jsonResponse, jsonType } from './http';
import { recordCount, type CaptureMetricName } from './metrics';
import { validateRecord, type RecordKind } from './records';

/** One entry of a capture response, in the order the records were submitted. */
export interface CaptureRecordResult {
  failed: boolean;
  error_code?: string;
  error_message?: string;
}

export interface CaptureResult {
  failed_count: number;
  records: CaptureRecordResult[];
}

/** Error code of a record that was not sent because it failed validation. */
export const INVALID_RECORD = 'InvalidRecord';

/** The batch array of a request body; a BadRequestError when there is none. */
export function batchOf(body: unknown, kind: RecordKind): unknown[] {
  const expected = `send {"${kind.batchKey}": [...]}`;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError(`request body must be a JSON object, got ${jsonType(body)}; ${expected}`);
  }
  const batch = (body as Record<string, unknown>)[kind.batchKey];
  if (batch === undefined) throw new BadRequestError(`request body has no "${kind.batchKey}"; ${expected}`);
  if (!Array.isArray(batch)) {
    throw new BadRequestError(`"${kind.batchKey}" must be an array, got ${jsonType(batch)}; ${expected}`);
  }
  return batch;
}

/**
 * Validates every record of a batch, delivers the valid ones and reports on
 * each record in submission order. Invalid records are not sent.
 */
export async function captureBatch(
  batch: readonly unknown[],
  kind: RecordKind,
  delivery: Omit<DeliverOptions, 'records'>,
): Promise<CaptureResult> {
  const results = new Array<CaptureRecordResult>(batch.length);
  const lines: Buffer[] = [];
  const positions: number[] = [];
  batch.forEach((value, i) => {
    const checked = validateRecord(value, kind);
    if (checked.ok) {
      lines.push(checked.line);
      positions.push(i);
    } else {
      results[i] = {
        failed: true,
        error_code: INVALID_RECORD,
        error_message: `${kind.batchKey}[${i}]: ${checked.message}`,
      };
    }
  });
  if (lines.length > 0) {
    const outcomes = await deliverRecords({ ...delivery, records: lines });
    outcomes.forEach((outcome, j) => {
      results[positions[j] as number] = outcome.failed
        ? { failed: true, error_code: outcome.errorCode ?? 'Unknown', error_message: outcome.errorMessage ?? '' }
        : { failed: false };
    });
  }
  return { failed_count: results.filter((r) => r.failed).length, records: results };
}

/** How many records of a result the delivery stream accepted (invalid and failed ones are not). */
export function acceptedCount(result: CaptureResult): number {
  return result.records.filter((r) => !r.failed).length;
}

/**
 * Counted once the delivery is settled, so a record is counted only if
 * Firehose holds it, and once however many attempts it took. A count that
 * cannot be written is logged: the records are captured all the same, and a
 * 500 would make the caller send them again.
 */
function countAccepted(metric: CaptureMetricName, result: CaptureResult): void {
  try {
    recordCount({ metric, count: acceptedCount(result) });
  } catch (error) {
    console.error(`counting ${metric} failed:`, error);
  }
}

/**
 * A Lambda handler that captures one kind of record into the stream named by
 * `streamEnvVar` and, where CAPTURE_METRICS asks for it, counts the accepted
 * records as `metric`.
 */
export function captureHandler(kind: RecordKind, streamEnvVar: string, metric: CaptureMetricName) {
  const firehose = lazily(() => new FirehoseClient({}));
  return async (event: ApiGatewayProxyEvent, context?: LambdaContext): Promise<ApiGatewayProxyResult> => {
    let batch: unknown[];
    try {
      batch = batchOf(jsonBody(event), kind);
    } catch (error) {
      if (error instanceof BadRequestError) return badRequest(error.message);
      throw error;
    }
    try {
      const result = await captureBatch(batch, kind, {
        client: firehose(),
        streamName: requireEnv(streamEnvVar),
        remainingMs: context?.getRemainingTimeInMillis?.bind(context),
      });
      countAccepted(metric, result);
      if (result.failed_count > 0) {
        const codes = [...new Set(result.records.filter((r) => r.failed).map((r) => r.error_code))];
        console.warn(`${result.failed_count} of ${batch.length} ${kind.batchKey} failed (${codes.join(', ')})`);
      }
      return jsonResponse(200, result);
    } catch (error) {
      console.error(`capturing ${kind.batchKey} failed:`, error);
      return internalError(context?.awsRequestId);
    }
  };
}

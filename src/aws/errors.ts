import { DeploymentError } from '../errors';

/**
 * Wraps an AWS SDK error with what was being done, the service's own message
 * and the request id, so a failure can be traced in CloudTrail or a support case.
 */
export function awsError(doing: string, error: unknown): DeploymentError {
  const e = error as { name?: string; message?: string; $metadata?: { requestId?: string; httpStatusCode?: number } };
  const parts = [`${doing}: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`];
  const requestId = e?.$metadata?.requestId;
  if (requestId) parts.push(`(request id ${requestId})`);
  return new DeploymentError(parts.join(' '), { code: 'AWS_ERROR', cause: error });
}

/** True when the error is the service saying "not found" in one of its many ways. */
export function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/** True when the service refused the call for its request rate (after the SDK's own retries). */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  return (
    Boolean(e?.$retryable?.throttling) ||
    ['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown'].includes(
      e?.name ?? '',
    ) ||
    e?.$metadata?.httpStatusCode === 429
  );
}

/** True for CloudFormation's way of saying a stack (or change set) does not exist: a ValidationError. */
export function isMissingStack(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return (
    (e?.name === 'ValidationError' && /does not exist/i.test(e?.message ?? '')) ||
    e?.name === 'ChangeSetNotFoundException' ||
    e?.name === 'StackNotFoundException'
  );
}

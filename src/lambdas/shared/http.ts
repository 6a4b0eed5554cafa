import type { ApiGatewayProxyEvent, ApiGatewayProxyResult } from './events';

/** A response whose body is `value` serialized as JSON. */
export function jsonResponse(statusCode: number, value: unknown): ApiGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(value),
  };
}

/** A 400 whose body is `{"error": message}`. */
export function badRequest(message: string): ApiGatewayProxyResult {
  return jsonResponse(400, { error: message });
}

/**
 * A 500 that tells the caller nothing internal, only the request id to quote;
 * the details go to the function's log.
 */
export function internalError(requestId: string | undefined): ApiGatewayProxyResult {
  const ref = requestId ? `; quote request id ${requestId}` : '';
  return jsonResponse(500, { error: `internal error${ref}` });
}

/** Thrown while reading a request; becomes a 400 with its message. */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}|[A-Za-z0-9+/]{3})?$/;

/** The request body as text, decoding it when API Gateway base64-encoded it. */
export function bodyText(event: ApiGatewayProxyEvent): string {
  const body = event.body ?? '';
  if (!event.isBase64Encoded) return body;
  const compact = body.replace(/\s+/g, '');
  if (!BASE64.test(compact)) {
    throw new BadRequestError('request body is marked base64-encoded but is not valid base64');
  }
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** The request body parsed as JSON. */
export function jsonBody(event: ApiGatewayProxyEvent): unknown {
  const text = bodyText(event);
  if (text.trim() === '') throw new BadRequestError('request body is empty; send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BadRequestError(`request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Describes a JSON value's type for error messages ("null", "array", "string" ...). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

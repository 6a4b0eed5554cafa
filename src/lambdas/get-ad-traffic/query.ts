import type { ApiGatewayProxyEvent } from '../shared/events';
import { BadRequestError } from '../shared/http';
import { isDay } from '../shared/time';

/** Most days one page may hold, and the page size when `limit` is absent. */
export const MAX_LIMIT = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A validated traffic request. */
export interface TrafficQuery {
  /** The ad, as a lowercase UUID. */
  readonly adId: string;
  /** First day, inclusive, `YYYY-MM-DD`. */
  readonly start: string;
  /** Last day, inclusive, `YYYY-MM-DD`. */
  readonly end: string;
  /** Most days to return. */
  readonly limit: number;
  /** Day after which this page starts, from the `page` token. */
  readonly after?: string;
}

/** Reads and checks the request's parameters; `today` (`YYYY-MM-DD`) fills in a missing start or end. */
export function parseTrafficQuery(event: ApiGatewayProxyEvent, today: string): TrafficQuery {
  const rawAd = event.pathParameters?.['ad-id'];
  if (rawAd === undefined || rawAd === '')
    throw new BadRequestError('path parameter ad-id is missing; request /traffic/{ad-id}');
  if (!UUID.test(rawAd)) {
    throw new BadRequestError(
      `path parameter ad-id ${show(rawAd)} is not a UUID; use the form 123e4567-e89b-12d3-a456-426614174000`,
    );
  }
  const adId = rawAd.toLowerCase();
  const query = event.queryStringParameters ?? {};
  const start = dayParam('start', query.start, today);
  const end = dayParam('end', query.end, today);
  if (start > end) {
    if (query.start === undefined) {
      throw new BadRequestError(
        `query parameter end ${end} is before start, which defaults to today (${today}); pass start too`,
      );
    }
    if (query.end === undefined) {
      throw new BadRequestError(
        `query parameter start ${start} is after end, which defaults to today (${today}); pass end too`,
      );
    }
    throw new BadRequestError(`query parameter start ${start} is after end ${end}; start must be on or before end`);
  }
  const limit = limitParam(query.limit);
  const after = query.page === undefined ? undefined : decodePageToken(query.page, adId, start, end);
  return after === undefined ? { adId, start, end, limit } : { adId, start, end, limit, after };
}

function dayParam(name: string, value: string | undefined, today: string): string {
  if (value === undefined) return today;
  if (!isDay(value)) throw new BadRequestError(`query parameter ${name} ${show(value)} is not a day; use YYYY-MM-DD`);
  return value;
}

function limitParam(value: string | undefined): number {
  if (value === undefined) return MAX_LIMIT;
  const n = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_LIMIT)) {
    throw new BadRequestError(
      `query parameter limit ${show(value)} is not allowed; use a whole number from 1 to ${MAX_LIMIT}`,
    );
  }
  return n;
}

/** The `next` token that resumes a query for `adId` after `day`. */
export function encodePageToken(adId: string, day: string): string {
  return Buffer.from(JSON.stringify({ ad: adId, day }), 'utf8').toString('base64url');
}

/**
 * The day a `page` token resumes after. The token must come from the `next`
 * of an earlier page for the same ad, and its day must lie in start..end.
 */
export function decodePageToken(token: string, adId: string, start: string, end: string): string {
  const restart = 'pass the "next" value of the previous page unchanged, or leave page out to start over';
  let decoded: unknown;
  try {
    if (!BASE64URL.test(token)) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError(`query parameter page ${show(token)} is not a page token; ${restart}`);
  }
  const fields = typeof decoded === 'object' && decoded !== null ? (decoded as Record<string, unknown>) : {};
  const { ad, day } = fields;
  if (typeof ad !== 'string' || typeof day !== 'string' || !isDay(day)) {
    throw new BadRequestError(`query parameter page ${show(token)} is not a page token; ${restart}`);
  }
  if (ad !== adId) {
    throw new BadRequestError(`query parameter page is a token for another ad, not ${adId}; ${restart}`);
  }
  if (day < start || day > end) {
    throw new BadRequestError(
      `query parameter page resumes after ${day}, outside start ${start} to end ${end}; keep the start and end of the first page`,
    );
  }
  return day;
}

function show(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value);
}

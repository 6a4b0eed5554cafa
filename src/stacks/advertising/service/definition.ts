// The advertising API as an OpenAPI 3 document: capture batches of
// impressions and clicks, and read an ad's daily traffic. The schemas state
// what the Lambda handlers accept and answer (src/lambdas), so API Gateway
// turns away malformed requests before a function is invoked.
import { fnIf, type Intrinsic, type Value } from '../../../cfn/intrinsics';
import type { Condition } from '../../../cfn/template';
import { OpenApi, json, lambdaProxy, type Method, type OpenApiDocument, type Reference, type Schema } from './openapi';

/** Most records one capture request may carry: one Firehose PutRecordBatch call's worth. */
export const MAX_BATCH = 500;

/** Most days one traffic page may hold, and the page size when `limit` is absent. */
export const MAX_PAGE = 100;

/** A day, `YYYY-MM-DD`. */
export const DAY_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

/**
 * An event time: `YYYY-MM-DD HH:MM:SS[.fff]` in UTC, or ISO 8601 with `T` and
 * an optional `Z` or `±HH:MM` offset. The handler converts either to UTC and
 * rejects impossible dates, which a pattern cannot.
 */
export const TIMESTAMP_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}[ Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:?[0-9]{2})?$';

/** A `next` page token: unpadded base64url. */
export const PAGE_TOKEN_PATTERN = '^[A-Za-z0-9_-]+$';

/** The functions behind the operations, as alias ARNs to invoke. */
export interface ApiTargets {
  readonly captureImpressions: Intrinsic;
  readonly captureClicks: Intrinsic;
  readonly queryAdTraffic: Intrinsic;
  /** The role API Gateway invokes them with. */
  readonly credentials: Value<string>;
  /** Whether GET /traffic needs IAM authorization (SigV4); the capture routes are always public. */
  readonly trafficNeedsIam: Condition;
}

/** The API's operations: each route and the function behind it (ApiTargets). */
export const ROUTES = {
  captureImpressions: { path: '/impressions', method: 'post' },
  captureClicks: { path: '/clicks', method: 'post' },
  queryAdTraffic: { path: '/traffic/{ad-id}', method: 'get' },
} as const satisfies Record<string, { readonly path: string; readonly method: Method }>;

const id = (description: string): Schema => ({ type: 'string', format: 'uuid', minLength: 1, description });

export function advertisingApi(targets: ApiTargets): OpenApiDocument {
  const api = new OpenApi({
    title: 'Advertising',
    version: '1.0.0',
    description: "Captures ad impressions and clicks into the data lake and serves each ad's daily traffic",
  });

  const sigv4 = api.securityScheme('sigv4', {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'awsSigv4',
  });

  const timestamp = api.schema('Timestamp', {
    type: 'string',
    pattern: TIMESTAMP_PATTERN,
    description: 'When the event happened: "YYYY-MM-DD HH:MM:SS[.fff]" in UTC, or ISO 8601',
  });
  const day = api.schema('Day', { type: 'string', pattern: DAY_PATTERN, description: 'A UTC day, YYYY-MM-DD' });
  const pageToken = api.schema('PageToken', {
    type: 'string',
    pattern: PAGE_TOKEN_PATTERN,
    description: 'Opaque token of the next page, from the "next" of the previous answer',
  });

  const impression = api.schema('Impression', {
    type: 'object',
    properties: {
      impression_id: id('The impression, as a UUID'),
      ad_id: id('The ad shown, as a UUID'),
      occurred_at: timestamp,
    },
    required: ['impression_id', 'ad_id', 'occurred_at'],
    additionalProperties: false,
  });
  const click = api.schema('Click', {
    type: 'object',
    properties: {
      click_id: id('The click, as a UUID'),
      impression_id: id('The impression clicked, as a UUID'),
      ad_id: id('The ad clicked, as a UUID'),
      occurred_at: timestamp,
    },
    required: ['click_id', 'impression_id', 'ad_id', 'occurred_at'],
    additionalProperties: false,
  });
  const batch = (key: string, item: Reference): Schema => ({
    type: 'object',
    properties: { [key]: { type: 'array', items: item, minItems: 1, maxItems: MAX_BATCH } },
    required: [key],
    additionalProperties: false,
  });
  const impressions = api.schema('Impressions', batch('impressions', impression));
  const clicks = api.schema('Clicks', batch('clicks', click));

  const captureRecord = api.schema('CaptureRecord', {
    type: 'object',
    description: 'What happened to one submitted record',
    properties: {
      failed: { type: 'boolean' },
      error_code: { type: 'string', description: 'Why the record failed: InvalidRecord, or the Firehose error code' },
      error_message: { type: 'string' },
    },
    required: ['failed'],
    additionalProperties: false,
  });
  const captureResponse = api.schema('CaptureResponse', {
    type: 'object',
    properties: {
      failed_count: { type: 'integer', minimum: 0, description: 'How many records were not captured' },
      records: {
        type: 'array',
        items: captureRecord,
        description: 'One entry per submitted record, in submission order',
      },
    },
    required: ['failed_count', 'records'],
    additionalProperties: false,
  });

  const adDay = api.schema('AdDay', {
    type: 'object',
    properties: {
      day,
      impressions: { type: 'integer', minimum: 0 },
      clicks: { type: 'integer', minimum: 0 },
    },
    required: ['day', 'impressions', 'clicks'],
    additionalProperties: false,
  });
  const adTraffic = api.schema('AdTraffic', {
    type: 'object',
    properties: {
      count: { type: 'integer', minimum: 0, description: 'How many days this page holds' },
      next: {
        type: 'string',
        description: 'The page token of the next page, or empty on the last page',
      },
      days: { type: 'array', items: adDay, description: 'Days with traffic, oldest first' },
    },
    required: ['count', 'next', 'days'],
    additionalProperties: false,
  });
  const error = api.schema('Error', {
    type: 'object',
    properties: { error: { type: 'string', description: 'What was wrong and how to correct it' } },
    required: ['error'],
    additionalProperties: false,
  });

  const badRequest = { description: 'The request was malformed; nothing was captured', content: json(error) };
  const internal = {
    description: 'The request failed inside the service; the message names the request id to quote',
    content: json(error),
  };
  const capture = (kind: 'impressions' | 'clicks', body: Reference, target: Intrinsic) => ({
    summary: `Capture a batch of ${kind}`,
    description: `Sends each valid record to the ${kind} delivery stream. Some records may fail while others succeed; the answer reports on each, in submission order.`,
    operationId: `capture-${kind}`,
    requestBody: { description: `Up to ${MAX_BATCH} ${kind}`, required: true, content: json(body) },
    responses: {
      '200': {
        description: 'The batch was processed; see failed_count and records for records that were not captured',
        content: json(captureResponse),
      },
      '400': badRequest,
      '500': internal,
    },
    'x-amazon-apigateway-integration': lambdaProxy(target, targets.credentials),
  });
  const { captureImpressions, captureClicks, queryAdTraffic } = ROUTES;
  api.operation(
    captureImpressions.path,
    captureImpressions.method,
    capture('impressions', impressions, targets.captureImpressions),
  );
  api.operation(captureClicks.path, captureClicks.method, capture('clicks', clicks, targets.captureClicks));

  api.operation(queryAdTraffic.path, queryAdTraffic.method, {
    summary: 'Get the daily traffic of an ad',
    description: 'Daily impression and click totals between start and end (inclusive), a page at a time.',
    operationId: 'ad-traffic',
    parameters: [
      {
        name: 'ad-id',
        in: 'path',
        required: true,
        description: 'The ad, as a UUID',
        schema: { type: 'string', format: 'uuid' },
      },
      {
        name: 'start',
        in: 'query',
        required: false,
        description: 'First day, inclusive; defaults to today (UTC)',
        schema: day,
      },
      {
        name: 'end',
        in: 'query',
        required: false,
        description: 'Last day, inclusive; defaults to today (UTC)',
        schema: day,
      },
      {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'Most days to return',
        schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: MAX_PAGE },
      },
      {
        name: 'page',
        in: 'query',
        required: false,
        description: 'Continue after an earlier page: its "next" value, unchanged',
        schema: pageToken,
      },
    ],
    responses: {
      '200': { description: 'The days with traffic in the range, oldest first', content: json(adTraffic) },
      '400': { description: 'A parameter was malformed', content: json(error) },
      '500': internal,
    },
    // The counts are business data: IAM authorization unless TrafficAuthorization says none. An empty list is no authorization.
    security: fnIf(targets.trafficNeedsIam, [sigv4], []),
    'x-amazon-apigateway-integration': lambdaProxy(targets.queryAdTraffic, targets.credentials),
  });

  api.validator('all', { validateRequestBody: true, validateRequestParameters: true }, true);
  // API Gateway's own validation failures answer in the handlers' error shape.
  const validationFailure = {
    statusCode: 400,
    responseTemplates: { 'application/json': '{"error": $context.error.messageString}' },
  };
  api.gatewayResponse('BAD_REQUEST_BODY', validationFailure);
  api.gatewayResponse('BAD_REQUEST_PARAMETERS', validationFailure);

  return api.toJSON();
}

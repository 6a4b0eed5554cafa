// The API: three functions behind a REST API. API Gateway invokes each
// function's live alias with its own role (APIRole), so CodeDeploy's gradual
// deployments govern what callers reach and no resource policy is needed.
import { AWS, type Intrinsic, type Value } from '../../../cfn/intrinsics';
import { samRef } from '../../../cfn/sam';
import type { Condition, Resource, Template } from '../../../cfn/template';
import { inlinePolicy, serviceTrust } from '../../shared/iam';
import { LAMBDA_RUNTIME, lambdaBundle } from '../../shared/lambda';
import { LOG_GROUP_AWS_KEY, PLAIN_ENVIRONMENT, SYNCHRONOUS_FUNCTION } from '../../shared/scan';
import { CAPTURE_METRICS_VARIABLE } from '../../shared/realtime-engine';
import { advertisingApi } from './definition';
import { OPENAPI_VERSION } from './openapi';

/** The alias SAM publishes each function version under; the API always invokes it. */
export const LIVE_ALIAS = 'Live';

/** How long the functions' logs are kept. */
export const LOG_RETENTION_DAYS = 30;

/**
 * Each function: logical id, bundle name (dist/lambdas/<bundle>.zip), what it
 * does, and whether it captures records (and so may count them for the
 * real-time metrics).
 */
export const FUNCTIONS = [
  {
    id: 'CaptureImpressionsLambda',
    bundle: 'capture-impressions',
    captures: true,
    concurrency: 50,
    description: 'POST /impressions: puts a batch of impressions on the impressions delivery stream',
  },
  {
    id: 'CaptureClicksLambda',
    bundle: 'capture-clicks',
    captures: true,
    concurrency: 50,
    description: 'POST /clicks: puts a batch of clicks on the clicks delivery stream',
  },
  {
    id: 'QueryAdTrafficTableLambda',
    bundle: 'get-ad-traffic',
    captures: false,
    concurrency: 10,
    description: "GET /traffic/{ad-id}: reads an ad's daily traffic from the ad traffic table",
  },
] as const;

/**
 * The stage's request rate (per second, steady and burst) across every
 * route: anonymous beacon traffic beyond it is refused with 429 before a
 * function runs. Each function's reserved concurrency (FUNCTIONS) caps what
 * it can take from the account's pool, so a flood cannot starve the other
 * functions of the account.
 */
export const API_THROTTLE = { rateLimit: 500, burstLimit: 1000 } as const;

/** Each access log line: who called what, how it ended, and how long it took. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  apiKeyId: '$context.identity.apiKeyId',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
  responseLatency: '$context.responseLatency',
});

/**
 * The REST API's name, which is also its metrics' ApiName dimension: the
 * service stack's own name, so that the APIs of two branches in one account
 * never share metrics (the OpenAPI title alone would be the same for both).
 */
export const API_NAME = AWS.StackName;

/** The id of one of the functions. */
export type FunctionId = (typeof FUNCTIONS)[number]['id'];

/** The API and the functions behind it. */
export interface Api {
  readonly api: Resource<'AWS::Serverless::Api'>;
  readonly functions: Readonly<Record<FunctionId, Resource<'AWS::Serverless::Function'>>>;
}

/** The ARN of a function's live alias, which the API invokes. */
export function aliasOf(fn: Resource<'AWS::Serverless::Function'>): Intrinsic {
  return samRef(fn, 'Alias');
}

/** What the API reads and writes. */
export interface ApiDependencies {
  readonly impressionsStream: Resource<'AWS::KinesisFirehose::DeliveryStream'>;
  readonly clicksStream: Resource<'AWS::KinesisFirehose::DeliveryStream'>;
  /** ARN of the ad traffic table (from the batch pipeline stack). */
  readonly adTrafficTableArn: Value<string>;
  readonly stage: Value<string>;
  /** CAPTURE_METRICS of the capture functions: whether they write the real-time counts. */
  readonly captureMetrics: Value<string>;
  /** Tags of the API (functions take theirs from Globals). */
  readonly tags: Record<string, Value<string>>;
  /** Whether GET /traffic needs IAM authorization (TrafficAuthorization iam). */
  readonly trafficNeedsIam: Condition;
}

export function declareApi(t: Template, deps: ApiDependencies): Api {
  const logGroups = FUNCTIONS.map((f) =>
    t.resource(
      `${f.id}LogGroup`,
      'AWS::Logs::LogGroup',
      { RetentionInDays: LOG_RETENTION_DAYS },
      { scanExceptions: LOG_GROUP_AWS_KEY },
    ),
  );
  const accessLogs = t.resource(
    'APIAccessLogGroup',
    'AWS::Logs::LogGroup',
    { RetentionInDays: LOG_RETENTION_DAYS },
    { scanExceptions: LOG_GROUP_AWS_KEY },
  );

  const lambdaRole = t.resource('APILambdaRole', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: serviceTrust(['lambda']),
    Policies: [
      inlinePolicy('CaptureAndQuery', [
        {
          Action: 'firehose:PutRecordBatch',
          Resource: [deps.impressionsStream.getAtt('Arn'), deps.clicksStream.getAtt('Arn')],
        },
        { Action: 'dynamodb:Query', Resource: deps.adTrafficTableArn },
      ]),
      inlinePolicy('Logs', [
        { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: logGroups.map((g) => g.getAtt('Arn')) },
      ]),
      // X-Ray's write actions take no resource-level permissions.
      inlinePolicy('Tracing', [{ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }]),
    ],
  });

  const functions = FUNCTIONS.map((f, i) =>
    t.resource(
      f.id,
      'AWS::Serverless::Function',
      {
        Description: f.description,
        Runtime: LAMBDA_RUNTIME,
        Handler: 'index.handler',
        CodeUri: lambdaBundle(t, f.bundle),
        Role: lambdaRole.getAtt('Arn'),
        LoggingConfig: { LogGroup: logGroups[i]! },
        ReservedConcurrentExecutions: f.concurrency,
        // Added to the variables of Globals. The counts are log lines, so the log grants above cover them.
        ...(f.captures ? { Environment: { Variables: { [CAPTURE_METRICS_VARIABLE]: deps.captureMetrics } } } : {}),
      },
      { scanExceptions: { ...SYNCHRONOUS_FUNCTION, ...PLAIN_ENVIRONMENT } },
    ),
  );
  const [captureImpressions, captureClicks, queryAdTraffic] = functions as [
    Resource<'AWS::Serverless::Function'>,
    Resource<'AWS::Serverless::Function'>,
    Resource<'AWS::Serverless::Function'>,
  ];

  const apiRole = t.resource('APIRole', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: serviceTrust(['apigateway']),
    Policies: [
      inlinePolicy('InvokeFunctions', [{ Action: 'lambda:InvokeFunction', Resource: functions.map(aliasOf) }]),
    ],
  });

  const api = t.resource(
    'API',
    'AWS::Serverless::Api',
    {
      Name: API_NAME,
      StageName: deps.stage,
      OpenApiVersion: OPENAPI_VERSION,
      TracingEnabled: true,
      Tags: deps.tags,
      MethodSettings: [
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          MetricsEnabled: true,
          ThrottlingRateLimit: API_THROTTLE.rateLimit,
          ThrottlingBurstLimit: API_THROTTLE.burstLimit,
        },
      ],
      AccessLogSetting: { DestinationArn: accessLogs.getAtt('Arn'), Format: ACCESS_LOG_FORMAT },
      DefinitionBody: {
        ...advertisingApi({
          captureImpressions: aliasOf(captureImpressions),
          captureClicks: aliasOf(captureClicks),
          queryAdTraffic: aliasOf(queryAdTraffic),
          credentials: apiRole.getAtt('Arn'),
          trafficNeedsIam: deps.trafficNeedsIam,
        }),
      },
    },
    {
      scanExceptions: {
        CKV_AWS_120:
          'capture answers must never be served from a cache, and the traffic route is read a few times a day; a cache cluster is billed by the hour whether used or not',
      },
    },
  );
  const byId = Object.fromEntries(FUNCTIONS.map((f, i) => [f.id, functions[i]!])) as Record<
    FunctionId,
    Resource<'AWS::Serverless::Function'>
  >;
  return { api, functions: byId };
}

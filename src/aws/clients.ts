// The one place AWS SDK clients are created. Everything comes from the
// standard SDK configuration (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...);
// with an endpoint override, S3 uses path-style addressing so that local
// endpoints such as moto work. Commands do not call these factories: they ask
// the provider their IO host carries (`io.aws`, an `AwsClients`), which is
// `sdkClients()` on the command line and whatever a test passes in tests.
import type { S3Client } from '@aws-sdk/client-s3';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { UsageError } from '../errors';

/** Settings shared by every client. */
export interface ClientSettings {
  /** Region; otherwise the SDK's own resolution (AWS_REGION, profile). @default SDK default */
  readonly region?: string;
  /** Endpoint override; otherwise AWS_ENDPOINT_URL or the service default. @default SDK default */
  readonly endpoint?: string;
  /** The environment to read AWS_ENDPOINT_URL from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Static credentials (a local stand-in's); otherwise the SDK's credential chain. @default SDK default */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

// The SDK warns on every run under Node.js 20 that SDK versions published
// after January 2027 will need Node.js 22. The lock file pins the SDK this
// project ships with, so the warning concerns nothing it installs; it is
// turned off unless the user set the variable either way.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function common(settings: ClientSettings) {
  const endpoint = settings.endpoint ?? (settings.env ?? process.env).AWS_ENDPOINT_URL;
  return {
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    // Retries with backoff are the SDK's: adaptive mode also slows down on throttling.
    retryMode: 'adaptive',
    maxAttempts: 8,
    endpointOverridden: Boolean(endpoint),
  };
}

export function s3Client(settings: ClientSettings = {}): S3Client {
  const { S3Client } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  const { endpointOverridden, ...config } = common(settings);
  // The SDK also takes an override for S3 alone from AWS_ENDPOINT_URL_S3.
  const s3Overridden = endpointOverridden || Boolean((settings.env ?? process.env).AWS_ENDPOINT_URL_S3);
  return new S3Client({ ...config, forcePathStyle: s3Overridden });
}

export function cloudFormationClient(settings: ClientSettings = {}): CloudFormationClient {
  const { CloudFormationClient } =
    require('@aws-sdk/client-cloudformation') as typeof import('@aws-sdk/client-cloudformation');
  const { endpointOverridden: _, ...config } = common(settings);
  return new CloudFormationClient(config);
}

export function codePipelineClient(settings: ClientSettings = {}): CodePipelineClient {
  const { CodePipelineClient } =
    require('@aws-sdk/client-codepipeline') as typeof import('@aws-sdk/client-codepipeline');
  const { endpointOverridden: _, ...config } = common(settings);
  return new CodePipelineClient(config);
}

export function dynamoDBClient(settings: ClientSettings = {}): DynamoDBClient {
  const { DynamoDBClient } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  const { endpointOverridden: _, ...config } = common(settings);
  return new DynamoDBClient(config);
}

export function firehoseClient(settings: ClientSettings = {}): FirehoseClient {
  const { FirehoseClient } = require('@aws-sdk/client-firehose') as typeof import('@aws-sdk/client-firehose');
  const { endpointOverridden: _, ...config } = common(settings);
  return new FirehoseClient(config);
}

export function cloudWatchClient(settings: ClientSettings = {}): CloudWatchClient {
  const { CloudWatchClient } = require('@aws-sdk/client-cloudwatch') as typeof import('@aws-sdk/client-cloudwatch');
  const { endpointOverridden: _, ...config } = common(settings);
  return new CloudWatchClient(config);
}

export function stepFunctionsClient(settings: ClientSettings = {}): SFNClient {
  const { SFNClient } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  const { endpointOverridden: _, ...config } = common(settings);
  return new SFNClient(config);
}

/**
 * Where commands get their AWS clients: the IO host carries one (`IO.aws`), so
 * a test or an embedding program passes its own (clients pointed at a local
 * moto server, or instances it has stubbed) instead of patching the SDK or the
 * environment. Each method makes a new client; the caller destroys it.
 */
export interface AwsClients {
  s3(settings?: ClientSettings): S3Client;
  cloudFormation(settings?: ClientSettings): CloudFormationClient;
  codePipeline(settings?: ClientSettings): CodePipelineClient;
  dynamoDB(settings?: ClientSettings): DynamoDBClient;
  firehose(settings?: ClientSettings): FirehoseClient;
  cloudWatch(settings?: ClientSettings): CloudWatchClient;
  stepFunctions(settings?: ClientSettings): SFNClient;
}

/**
 * The AWS SDK's clients, from the standard SDK configuration, with `defaults`
 * under each call's own settings (a call's region wins over the default's).
 */
export function sdkClients(defaults: ClientSettings = {}): AwsClients {
  const merge = (settings: ClientSettings = {}): ClientSettings => ({ ...defaults, ...definedOnly(settings) });
  return {
    s3: (settings) => s3Client(merge(settings)),
    cloudFormation: (settings) => cloudFormationClient(merge(settings)),
    codePipeline: (settings) => codePipelineClient(merge(settings)),
    dynamoDB: (settings) => dynamoDBClient(merge(settings)),
    firehose: (settings) => firehoseClient(merge(settings)),
    cloudWatch: (settings) => cloudWatchClient(merge(settings)),
    stepFunctions: (settings) => stepFunctionsClient(merge(settings)),
  };
}

/** The settings that are given, so that an undefined one does not hide a default. */
function definedOnly(settings: ClientSettings): ClientSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as ClientSettings;
}

/**
 * The region the standard SDK configuration resolves to (AWS_REGION, then the
 * profile); a usage error that says what to set when there is none.
 */
export async function resolveRegion(settings: ClientSettings = {}, aws?: AwsClients): Promise<string> {
  if (settings.region) return settings.region;
  const client = aws ? aws.cloudFormation(settings) : cloudFormationClient(settings);
  try {
    const region = await client.config.region();
    if (region) return region;
  } catch {
    // The SDK throws when no source names a region; the message below says what to set.
  } finally {
    client.destroy();
  }
  throw new UsageError(
    'no AWS region configured: set AWS_REGION, or choose a profile that has a region with AWS_PROFILE',
  );
}

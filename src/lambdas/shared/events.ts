// The few Lambda event and result shapes the handlers use. Declared here
// rather than pulled from @types/aws-lambda: only these fields are read.

/** An API Gateway proxy request (REST API v1 or HTTP API v2 payload). */
export interface ApiGatewayProxyEvent {
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly pathParameters?: Readonly<Record<string, string | undefined>> | null;
  readonly queryStringParameters?: Readonly<Record<string, string | undefined>> | null;
}

/** What an API Gateway proxy integration expects back. */
export interface ApiGatewayProxyResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** One record handed to a Kinesis Analytics (SQL) application's Lambda output. */
export interface KinesisAnalyticsOutputRecord {
  readonly recordId: string;
  /** The application's output row, base64-encoded. */
  readonly data: string;
  readonly lambdaDeliveryRecordMetadata?: { readonly retryHint?: number };
}

/** The event a Kinesis Analytics application sends to its Lambda output. */
export interface KinesisAnalyticsOutputEvent {
  readonly invocationId?: string;
  readonly applicationArn?: string;
  readonly records: readonly KinesisAnalyticsOutputRecord[];
}

/** The per-record outcome Kinesis Analytics expects from a Lambda output. */
export type KinesisAnalyticsDeliveryResult = 'Ok' | 'DeliveryFailed';

export interface KinesisAnalyticsOutputResponse {
  records: Array<{ recordId: string; result: KinesisAnalyticsDeliveryResult }>;
}

/** The part of the Lambda context object the handlers use. */
export interface LambdaContext {
  readonly awsRequestId?: string;
  getRemainingTimeInMillis?(): number;
}

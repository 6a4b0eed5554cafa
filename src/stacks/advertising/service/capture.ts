// Capture: the two Firehose delivery streams that land impressions and clicks
// in the data lake's raw area, the alarms that warn before a stream reaches
// its throughput quota, and those that tell when delivery to the lake fails
// or falls behind.
import { sub, type Value } from '../../../cfn/intrinsics';
import type { Resource, Template } from '../../../cfn/template';
import { declareAlarm } from '../../shared/alarms';
import { inlinePolicy, serviceTrust } from '../../shared/iam';
import { LOG_GROUP_AWS_KEY } from '../../shared/scan';

/** Where the raw records land in the data bucket; the lake's crawler and ETL read from here. */
export const RAW_PREFIX = 'data/raw/ad';

/** One captured event kind and its stream. */
export interface CaptureStream {
  /** Logical id prefix: Impressions or Clicks. */
  readonly name: 'Impressions' | 'Clicks';
  /** Folder under RAW_PREFIX. */
  readonly folder: 'impressions' | 'clicks';
}

export const STREAMS: readonly CaptureStream[] = [
  { name: 'Impressions', folder: 'impressions' },
  { name: 'Clicks', folder: 'clicks' },
];

/**
 * Firehose flushes whichever comes first: 15 minutes or 128 MiB (both the
 * service maxima), so the lake gets few, large, cheap-to-scan objects.
 */
export const BUFFERING = { IntervalInSeconds: 900, SizeInMBs: 128 } as const;

/**
 * Each stream is watched at 80 % of Firehose's classic direct-put quotas
 * (5,000 records/s, 2,000 PutRecordBatch calls/s, 5 MiB/s). Quotas now vary
 * by region; raise the thresholds with the account's quotas.
 * Three breaching minutes out of five filter out short bursts.
 */
export const THROUGHPUT_ALARMS = [
  { suffix: 'RecordsPerSecondAlarm', metric: 'IncomingRecords', threshold: 4000, what: 'records per second' },
  {
    suffix: 'TransactionsPerSecondAlarm',
    metric: 'PutRecordBatch.Requests',
    threshold: 1600,
    what: 'PutRecordBatch calls per second',
  },
  { suffix: 'DataThroughputAlarm', metric: 'IncomingBytes', threshold: 4194304, what: 'bytes per second' },
] as const;

/**
 * The age of the oldest record not yet in S3 that alarms: two buffering
 * intervals, so at least one flush was missed.
 */
export const FRESHNESS_LIMIT_SECONDS = 2 * BUFFERING.IntervalInSeconds;

export interface Capture {
  readonly impressions: Resource<'AWS::KinesisFirehose::DeliveryStream'>;
  readonly clicks: Resource<'AWS::KinesisFirehose::DeliveryStream'>;
}

/** Declares the streams and their quota alarms, which notify `alarmTopic`. */
/** Days Firehose's delivery errors are kept. */
export const ERROR_LOG_RETENTION_DAYS = 30;

/** The log stream each delivery stream writes its S3 delivery errors to, in DeliveryErrorLogGroup. */
const ERROR_LOG_STREAM = (stream: CaptureStream) => `${stream.folder}-s3-delivery`;

export function declareCapture(t: Template, bucketArn: Value<string>, alarmTopic: Value<string>): Capture {
  // Why a delivery failed (a denied put, a missing bucket) is logged here; the alarms below say that it failed.
  const errorLogs = t.resource(
    'DeliveryErrorLogGroup',
    'AWS::Logs::LogGroup',
    { RetentionInDays: ERROR_LOG_RETENTION_DAYS },
    { scanExceptions: LOG_GROUP_AWS_KEY },
  );
  const errorStreams = STREAMS.map((stream) =>
    t.resource(`${stream.name}DeliveryErrorLogStream`, 'AWS::Logs::LogStream', {
      LogGroupName: errorLogs,
      LogStreamName: ERROR_LOG_STREAM(stream),
    }),
  );
  const role = t.resource('DeliveryStreamRole', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: serviceTrust(['firehose']),
    Policies: [
      // The S3 actions Firehose needs to deliver to a bucket, and nothing beyond the raw ad prefix.
      inlinePolicy('DeliverToRawPrefix', [
        {
          Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
          Resource: sub`${bucketArn}/${RAW_PREFIX}/*`,
        },
        {
          Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          Resource: bucketArn,
        },
      ]),
      inlinePolicy('LogDeliveryErrors', [{ Action: 'logs:PutLogEvents', Resource: errorLogs.getAtt('Arn') }]),
    ],
  });

  const streams = STREAMS.map((stream, i) => {
    const deliveryStream = t.resource(`${stream.name}DeliveryStream`, 'AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'DirectPut',
      // Records wait in the stream encrypted at rest, under a key Firehose owns.
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      ExtendedS3DestinationConfiguration: {
        BucketARN: bucketArn,
        Prefix: `${RAW_PREFIX}/${stream.folder}/`,
        BufferingHints: { ...BUFFERING },
        CompressionFormat: 'GZIP',
        RoleARN: role.getAtt('Arn'),
        CloudWatchLoggingOptions: { Enabled: true, LogGroupName: errorLogs, LogStreamName: errorStreams[i]! },
      },
    });
    for (const alarm of THROUGHPUT_ALARMS) {
      declareAlarm(t, `${stream.name}DeliveryStream${alarm.suffix}`, alarmTopic, {
        AlarmDescription: `${stream.folder} delivery stream is near its quota of ${alarm.what}`,
        Namespace: 'AWS/Firehose',
        MetricName: alarm.metric,
        Dimensions: [{ Name: 'DeliveryStreamName', Value: deliveryStream }],
        Statistic: 'Average',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: alarm.threshold,
        Period: 60,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
        // Load that falls back below the quota is worth knowing: no need to raise it yet.
        recoveryIsNews: true,
      });
    }
    declareDeliveryAlarms(t, stream, deliveryStream, alarmTopic);
    return deliveryStream;
  });

  return { impressions: streams[0]!, clicks: streams[1]! };
}

/** Delivery to the lake: any failed S3 put over two flush intervals, and records waiting longer than FRESHNESS_LIMIT_SECONDS. */
function declareDeliveryAlarms(
  t: Template,
  stream: CaptureStream,
  deliveryStream: Resource<'AWS::KinesisFirehose::DeliveryStream'>,
  alarmTopic: Value<string>,
): void {
  const dimensions = [{ Name: 'DeliveryStreamName', Value: deliveryStream }];
  declareAlarm(t, `${stream.name}DeliveryStreamS3DeliveryAlarm`, alarmTopic, {
    AlarmDescription: `Deliveries of ${stream.folder} to S3 failed in two flush intervals running (Firehose retries for 24 hours); see docs/operations.md`,
    Namespace: 'AWS/Firehose',
    // The share of S3 puts that succeeded: 1 when all did.
    MetricName: 'DeliveryToS3.Success',
    Dimensions: dimensions,
    Statistic: 'Average',
    ComparisonOperator: 'LessThanThreshold',
    Threshold: 1,
    Period: BUFFERING.IntervalInSeconds,
    EvaluationPeriods: 2,
    TreatMissingData: 'notBreaching',
    recoveryIsNews: true,
  });
  declareAlarm(t, `${stream.name}DeliveryStreamFreshnessAlarm`, alarmTopic, {
    AlarmDescription: `The oldest ${stream.folder} record not yet in S3 has waited over ${FRESHNESS_LIMIT_SECONDS / 60} minutes in two 5-minute periods running; see docs/operations.md`,
    Namespace: 'AWS/Firehose',
    MetricName: 'DeliveryToS3.DataFreshness',
    Dimensions: dimensions,
    Statistic: 'Maximum',
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: FRESHNESS_LIMIT_SECONDS,
    Period: 300,
    EvaluationPeriods: 2,
    TreatMissingData: 'notBreaching',
    recoveryIsNews: true,
  });
}

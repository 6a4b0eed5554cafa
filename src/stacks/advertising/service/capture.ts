// Capture: the two Firehose delivery streams that land impressions and clicks
// in the data lake's raw area, and the alarms that warn before a stream
// reaches its throughput quota.
import { sub, type Value } from '../../../cfn/intrinsics';
import type { Resource, Template } from '../../../cfn/template';
import { declareAlarm } from '../../shared/alarms';
import { inlinePolicy, serviceTrust } from '../../shared/iam';

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
  { suffix: 'TransactionsPerSecondAlarm', metric: 'PutRecordBatch.Requests', threshold: 1600, what: 'PutRecordBatch calls per second' },
  { suffix: 'DataThroughputAlarm', metric: 'IncomingBytes', threshold: 4194304, what: 'bytes per second' },
] as const;

export interface Capture {
  readonly impressions: Resource<'AWS::KinesisFirehose::DeliveryStream'>;
  readonly clicks: Resource<'AWS::KinesisFirehose::DeliveryStream'>;
}

/** Declares the streams and their quota alarms, which notify `alarmTopic`. */
export function declareCapture(t: Template, bucketArn: Value<string>, alarmTopic: Value<string>): Capture {
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
    ],
  });

  const streams = STREAMS.map((stream) => {
    const deliveryStream = t.resource(`${stream.name}DeliveryStream`, 'AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        BucketARN: bucketArn,
        Prefix: `${RAW_PREFIX}/${stream.folder}/`,
        BufferingHints: { ...BUFFERING },
        CompressionFormat: 'GZIP',
        RoleARN: role.getAtt('Arn'),
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
    return deliveryStream;
  });

  return { impressions: streams[0]!, clicks: streams[1]! };
}

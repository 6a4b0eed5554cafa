// The data lake bucket: raw captures, the lake tables and temporary staging
// all live here under data/, and the batch components write their logs to
// logs/. It outlives the stack.
import type { Resource, Template } from '../../cfn/template';
import { PUBLIC_ACCESS_BLOCKED, tlsOnlyPolicy } from '../shared/buckets';
import { NO_ACCESS_LOG_BUCKET } from '../shared/scan';

/** The data areas of the bucket: S3 request metrics are kept per area, and roles are scoped to them. */
export const DATA_AREAS = [
  { id: 'raw', prefix: 'data/raw/' },
  { id: 'lake', prefix: 'data/lake/' },
  { id: 'temp', prefix: 'data/temp/' },
] as const;

/** How long what the bucket holds only for a while is kept. */
export const RETENTION_DAYS = {
  /** Staging data under data/temp/, which each run writes anew. */
  temp: 7,
  /** The batch components' logs under logs/. */
  logs: 90,
  /** Versions that were overwritten or deleted: the window to recover a mistake. */
  noncurrent: 30,
  /** Uploads that never completed. */
  incompleteUploads: 7,
} as const;

/** The staging area, which each batch run writes anew. */
const TEMP_AREA = DATA_AREAS.find((area) => area.id === 'temp')!;

export function declareBucket(t: Template): Resource<'AWS::S3::Bucket'> {
  const bucket = t.resource(
    'Bucket',
    'AWS::S3::Bucket',
    {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          // A bucket key cuts the KMS requests (and their cost) of Firehose's many small writes.
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true },
        ],
      },
      PublicAccessBlockConfiguration: PUBLIC_ACCESS_BLOCKED,
      MetricsConfigurations: DATA_AREAS.map((area) => ({ Id: area.id, Prefix: area.prefix })),
      LifecycleConfiguration: {
        Rules: [
          { Id: 'ExpireTemp', Status: 'Enabled', Prefix: TEMP_AREA.prefix, ExpirationInDays: RETENTION_DAYS.temp },
          { Id: 'ExpireLogs', Status: 'Enabled', Prefix: 'logs/', ExpirationInDays: RETENTION_DAYS.logs },
          {
            Id: 'ExpireOldVersions',
            Status: 'Enabled',
            NoncurrentVersionExpirationInDays: RETENTION_DAYS.noncurrent,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: RETENTION_DAYS.incompleteUploads },
          },
        ],
      },
    },
    // The data outlives the stack: deleting or replacing the stack must not delete it.
    { deletionPolicy: 'Retain', updateReplacePolicy: 'Retain', scanExceptions: NO_ACCESS_LOG_BUCKET },
  );
  t.resource('BucketPolicy', 'AWS::S3::BucketPolicy', { Bucket: bucket, PolicyDocument: tlsOnlyPolicy(bucket) });
  return bucket;
}

// The data lake bucket: raw captures, the lake tables and temporary staging
// all live here under data/, and the batch components write their logs to
// logs/. It outlives the stack.
import type { Resource, Template } from '../../cfn/template';

/** The data areas of the bucket: S3 request metrics are kept per area, and roles are scoped to them. */
export const DATA_AREAS = [
  { id: 'raw', prefix: 'data/raw/' },
  { id: 'lake', prefix: 'data/lake/' },
  { id: 'temp', prefix: 'data/temp/' },
] as const;

export function declareBucket(t: Template): Resource<'AWS::S3::Bucket'> {
  return t.resource(
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
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      MetricsConfigurations: DATA_AREAS.map((area) => ({ Id: area.id, Prefix: area.prefix })),
    },
    // The data outlives the stack: deleting or replacing the stack must not delete it.
    { deletionPolicy: 'Retain', updateReplacePolicy: 'Retain' },
  );
}

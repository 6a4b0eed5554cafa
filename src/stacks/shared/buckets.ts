// What every bucket of the stacks states about access: no public access of
// any kind, and no request that does not use TLS.
import { sub } from '../../cfn/intrinsics';
import type { Resource } from '../../cfn/template';

/** Blocks every form of public access: ACLs and policies, present and future. */
export const PUBLIC_ACCESS_BLOCKED = {
  BlockPublicAcls: true,
  BlockPublicPolicy: true,
  IgnorePublicAcls: true,
  RestrictPublicBuckets: true,
} as const;

/** A bucket policy that refuses every request made without TLS, whoever makes it. */
export function tlsOnlyPolicy(bucket: Resource<'AWS::S3::Bucket'>) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TLSOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucket.getAtt('Arn'), sub`${bucket.getAtt('Arn')}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

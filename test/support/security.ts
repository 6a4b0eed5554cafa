// Assertions about security settings that several templates share.
import type { TemplateAssertions } from './template';

/** The bucket policy `policyId` refuses every request to the bucket `bucketId` and its objects that does not use TLS. */
export function hasTlsOnlyPolicy(template: TemplateAssertions, policyId: string, bucketId: string): void {
  template.hasResource(policyId, 'AWS::S3::BucketPolicy', {
    Properties: {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'TLSOnly',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, { 'Fn::Sub': `\${${bucketId}.Arn}/*` }],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    },
  });
}

// The EMR cluster's security configuration: what its nodes write is encrypted
// at rest with a key of the stack's own, and, when the user hands over TLS
// certificates, what they send each other is encrypted in transit.
//
// The key encrypts the nodes' local disks and EBS volumes and what EMRFS
// writes to the data bucket (SSE-KMS). The nodes use it for both; the EMR
// service role attaches the encrypted volumes through grants; and, since the
// cluster writes the lake and staging data that Redshift COPY and Spectrum read
// as PipelineRole under this engine, the Data Pipeline roles may use it too.
import { AWS, fnIf, sub } from '../../../cfn/intrinsics';
import type { Resource, Template } from '../../../cfn/template';
import { accountAdministersKey } from '../../shared/iam';
import type { AppConditions } from '../conditions';
import type { AppParameters } from '../parameters';

/** What a principal needs of a key to encrypt and decrypt data with it. */
const USE_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/** What EMR needs to attach EBS volumes encrypted with the key to the nodes it launches. */
const GRANT_ACTIONS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];

/** The roles that use the key. */
export interface EmrKeyUsers {
  /** The nodes' role (the instance profile's). */
  readonly nodes: Resource<'AWS::IAM::Role'>;
  /** The EMR service role, which launches the nodes. */
  readonly service: Resource<'AWS::IAM::Role'>;
  /** Roles that read what the cluster writes to the bucket. */
  readonly readers: readonly Resource<'AWS::IAM::Role'>[];
}

export function declareEmrSecurityConfiguration(
  t: Template,
  p: AppParameters,
  c: AppConditions,
  users: EmrKeyUsers,
): Resource<'AWS::EMR::SecurityConfiguration'> {
  const enabled = { condition: c.EMREnabled };
  const principal = (roles: readonly Resource<'AWS::IAM::Role'>[]) => ({ AWS: roles.map((r) => r.getAtt('Arn')) });
  const key = t.resource(
    'EMRKey',
    'AWS::KMS::Key',
    {
      Description: sub`Encrypts the disks and the S3 writes of the EMR cluster of stack ${AWS.StackName}`,
      EnableKeyRotation: true,
      KeyPolicy: {
        Version: '2012-10-17',
        Statement: [
          accountAdministersKey(),
          {
            Sid: 'NodesAndReadersUse',
            Effect: 'Allow',
            Principal: principal([users.nodes, users.service, ...users.readers]),
            Action: USE_KEY_ACTIONS,
            Resource: '*',
          },
          {
            Sid: 'AttachEncryptedVolumes',
            Effect: 'Allow',
            Principal: principal([users.nodes, users.service]),
            Action: GRANT_ACTIONS,
            Resource: '*',
            Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
          },
        ],
      },
    },
    enabled,
  );

  const keyArn = key.getAtt('Arn');
  return t.resource(
    'EMRSecurityConfiguration',
    'AWS::EMR::SecurityConfiguration',
    {
      SecurityConfiguration: {
        EncryptionConfiguration: {
          EnableAtRestEncryption: true,
          AtRestEncryptionConfiguration: {
            LocalDiskEncryptionConfiguration: {
              EncryptionKeyProviderType: 'AwsKms',
              AwsKmsKey: keyArn,
              EnableEbsEncryption: true,
            },
            S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: keyArn },
          },
          // TLS needs certificates only the user can make: on only when given.
          EnableInTransitEncryption: fnIf(c.EMRInTransitEncryption, true, false),
          InTransitEncryptionConfiguration: fnIf<object>(
            c.EMRInTransitEncryption,
            { TLSCertificateConfiguration: { CertificateProviderType: 'PEM', S3Object: p.EMRTLSCertificates } },
            AWS.NoValue,
          ),
        },
      },
    },
    enabled,
  );
}

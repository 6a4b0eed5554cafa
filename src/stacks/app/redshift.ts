// The optional Redshift cluster the daily pipeline loads, in the VPC's
// subnet, reading the lake through Spectrum as RedshiftSpectrumRole (as the
// Data Pipeline roles under the legacy engine).
import { AWS, fnIf, sub } from '../../cfn/intrinsics';
import type { Resource, Template } from '../../cfn/template';
import type { AppConditions } from './conditions';
import { VPC_CIDR, type Network } from './network';
import type { AppParameters } from './parameters';
import type { PipelineRoles } from './legacy';

type ClusterLogging = NonNullable<
  import('cloudform-types/types/redshift/cluster').ClusterProperties['LoggingProperties']
>;

/** The audit logs the cluster writes: connections, user changes, and every query run. */
export const AUDIT_LOGS = ['connectionlog', 'userlog', 'useractivitylog'] as const;

/** Days Redshift keeps its automated snapshots: a week of points to restore to (the original kept one day). */
export const SNAPSHOT_RETENTION_DAYS = 7;

/** The roles the cluster may assume: one per engine. */
export interface RedshiftRoles {
  /** Under the default engine (StepFunctionsRedshift). */
  readonly spectrumRole: Resource<'AWS::IAM::Role'>;
  /** Under the legacy engine (LegacyBatch). */
  readonly legacy: PipelineRoles;
}

export function declareRedshift(
  t: Template,
  p: AppParameters,
  c: AppConditions,
  network: Network,
  roles: RedshiftRoles,
): Resource<'AWS::Redshift::Cluster'> {
  const enabled = { condition: c.RedshiftEnabled };

  // A cluster security group is the EC2-Classic way of admitting clients; the
  // cluster below is in a VPC and uses VPC security groups instead, and
  // accounts without EC2-Classic cannot create one at all. The pair is kept,
  // under the legacy engine only, so that stacks deployed with it update in
  // place; it admits only the VPC's own range.
  const legacyGroup = { condition: c.LegacyRedshiftSecurityGroup };
  const RedshiftClusterSecurityGroup = t.resource(
    'RedshiftClusterSecurityGroup',
    'AWS::Redshift::ClusterSecurityGroup',
    { Description: 'Redshift Cluster Security Group' },
    legacyGroup,
  );
  t.resource(
    'RedshiftClusterSecurityGroupIngress',
    'AWS::Redshift::ClusterSecurityGroupIngress',
    { ClusterSecurityGroupName: RedshiftClusterSecurityGroup, CIDRIP: VPC_CIDR },
    {
      ...legacyGroup,
      lintExceptions: {
        E1041:
          "cfn-lint's schema gives this property the format of an EC2 security group name; a Ref to a Redshift cluster security group returns exactly the name it wants",
      },
    },
  );

  const RedshiftClusterSubnetGroup = t.resource(
    'RedshiftClusterSubnetGroup',
    'AWS::Redshift::ClusterSubnetGroup',
    { Description: 'Redshift Cluster Subnet Group', SubnetIds: [network.Subnet] },
    enabled,
  );

  // Clients must connect over TLS, and the query log records every query (useractivitylog needs both this and LogExports).
  const RedshiftParameterGroup = t.resource(
    'RedshiftParameterGroup',
    'AWS::Redshift::ClusterParameterGroup',
    {
      Description: 'Dataless: TLS required, user activity logged',
      ParameterGroupFamily: 'redshift-1.0',
      Parameters: [
        { ParameterName: 'require_ssl', ParameterValue: 'true' },
        { ParameterName: 'enable_user_activity_logging', ParameterValue: 'true' },
      ],
    },
    enabled,
  );

  return t.resource(
    'Redshift',
    'AWS::Redshift::Cluster',
    {
      ClusterType: fnIf(c.RedshiftSingleNode, 'single-node', 'multi-node'),
      ClusterIdentifier: sub`${AWS.StackName}-${AWS.Region}-redshift-cluster`,
      DBName: p.RedshiftDatabase,
      Encrypted: true,
      MasterUsername: p.RedshiftUsername,
      // Under the default engine Redshift keeps the master password in a Secrets Manager secret of its own, which
      // nothing here reads: the state machine signs in with temporary credentials. Data Pipeline takes the password
      // as a field value, so the legacy engine keeps the parameter.
      MasterUserPassword: fnIf(c.LegacyBatch, p.RedshiftPassword, AWS.NoValue),
      // (cloudform-types predates ManageMasterPassword.)
      ...({ ManageMasterPassword: fnIf(c.LegacyBatch, false, true) } as object),
      NodeType: p.RedshiftNodeType,
      // A single-node cluster must not be given a node count.
      NumberOfNodes: fnIf(c.RedshiftSingleNode, AWS.NoValue, p.RedshiftNumberOfNodes),
      ClusterSubnetGroupName: RedshiftClusterSubnetGroup,
      ClusterParameterGroupName: RedshiftParameterGroup,
      AutomatedSnapshotRetentionPeriod: SNAPSHOT_RETENTION_DAYS,
      VpcSecurityGroupIds: [network.SecurityGroup, network.VPC.getAtt('DefaultSecurityGroup')],
      IamRoles: fnIf(
        c.LegacyBatch,
        [roles.legacy.PipelineRole.getAtt('Arn'), roles.legacy.PipelineResourceRole.getAtt('Arn')],
        [roles.spectrumRole.getAtt('Arn')],
      ),
      // Clients are admitted from inside the VPC only, so a public endpoint would serve no one.
      PubliclyAccessible: false,
      AvailabilityZone: network.Subnet.getAtt('AvailabilityZone'),
      // Connections, users and every query, to CloudWatch Logs (cloudform-types predates these two properties).
      LoggingProperties: { LogDestinationType: 'cloudwatch', LogExports: [...AUDIT_LOGS] } as unknown as ClusterLogging,
    },
    {
      ...enabled,
      // A final snapshot when the cluster is deleted or replaced: the warehouse's loaded history survives the stack.
      deletionPolicy: 'Snapshot',
      updateReplacePolicy: 'Snapshot',
      scanExceptions: {
        CKV_AWS_71:
          'audit logging is on, to CloudWatch Logs (LoggingProperties.LogDestinationType); the check only knows the S3 destination, which Redshift supports only on SSE-S3 buckets and the data bucket is SSE-KMS',
      },
      lintExceptions: {
        W1011:
          'under the legacy engine only, the password is a NoEcho parameter because Data Pipeline takes it as a field value; the default engine lets Redshift manage it (ManageMasterPassword)',
      },
    },
  );
}

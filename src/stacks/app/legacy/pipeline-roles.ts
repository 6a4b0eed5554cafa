// The two roles of the daily Data Pipeline, which exist only under that
// engine: the role the service itself acts as, and the role of the EC2/EMR
// resources it launches. Both are attached to the Redshift cluster too, so
// that the legacy engine's Spectrum SQL can read the lake through the Glue
// Data Catalog.
//
// The pipeline role carries no AWS managed policy. The one Data Pipeline's
// default role had, service-role/AWSDataPipelineRole, was deprecated by AWS on
// 2022-10-03 and cannot be attached to a new role; in its place the role is
// granted what the Data Pipeline developer guide's example pipeline-role
// policy grants ("IAM Roles for AWS Data Pipeline"), less what this pipeline
// never uses (Spot requests, RDS, SimpleDB, SQS, CloudWatch), each grant held
// to this stack's resources where the action allows it.
import { AWS, sub, type SubPart } from '../../../cfn/intrinsics';
import type { Condition, Resource, Template } from '../../../cfn/template';
import { arnIn, inlinePolicy, managedPolicy, serviceTrust, type Statement } from '../../shared/iam';
import { PIPELINE_LOG_FOLDER } from '../../shared/legacy/task-runner';
import type { AlarmTopic } from '../notifications';
import { spectrumAccess } from '../spectrum';

/**
 * EC2 calls that change something, made by Data Pipeline to launch its EC2
 * resource and by EMR, acting as this role (the pipeline's EmrCluster gets it
 * as its service role), to launch the cluster's nodes.
 */
const LAUNCH_COMPUTE_ACTIONS = [
  'ec2:AuthorizeSecurityGroupEgress',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:CreateNetworkInterface',
  'ec2:CreateSecurityGroup',
  'ec2:CreateTags',
  'ec2:DeleteNetworkInterface',
  'ec2:DeleteSecurityGroup',
  'ec2:DeleteTags',
  'ec2:DetachNetworkInterface',
  'ec2:ModifyImageAttribute',
  'ec2:ModifyInstanceAttribute',
  'ec2:RevokeSecurityGroupEgress',
  'ec2:RunInstances',
  'ec2:TerminateInstances',
];

/** EC2 reads the same launches make; EC2 authorises none of them against a resource, so they name none. */
const DESCRIBE_COMPUTE_ACTIONS = [
  'ec2:DescribeAccountAttributes',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeDhcpOptions',
  'ec2:DescribeImages',
  'ec2:DescribeInstanceStatus',
  'ec2:DescribeInstances',
  'ec2:DescribeKeyPairs',
  'ec2:DescribeLaunchTemplates',
  'ec2:DescribeNetworkAcls',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribePrefixLists',
  'ec2:DescribeRouteTables',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeTags',
  'ec2:DescribeVolumeStatus',
  'ec2:DescribeVolumes',
  'ec2:DescribeVpcAttribute',
  'ec2:DescribeVpcEndpoints',
  'ec2:DescribeVpcEndpointServices',
  'ec2:DescribeVpcs',
];

/** EMR calls on a cluster Data Pipeline launched: run its steps, follow, resize and end it. */
const MANAGE_CLUSTER_ACTIONS = [
  'elasticmapreduce:AddJobFlowSteps',
  'elasticmapreduce:AddTags',
  'elasticmapreduce:DescribeCluster',
  'elasticmapreduce:DescribeStep',
  'elasticmapreduce:ListInstanceGroups',
  'elasticmapreduce:ListInstances',
  'elasticmapreduce:ListSteps',
  'elasticmapreduce:ModifyInstanceGroups',
  'elasticmapreduce:RemoveTags',
  'elasticmapreduce:TerminateJobFlows',
];

/** The reads Data Pipeline makes of the roles it is given, before it passes them. */
const READ_ROLE_ACTIONS = ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'];

/**
 * Statements whose actions EC2, EMR or IAM authorise against no resource
 * (IAM's service authorization reference lists no resource type for them), so
 * that `Resource` can only be `*`. Nothing else of the pipeline roles may name
 * every resource (a test holds them to this list).
 */
export const ACTIONS_WITHOUT_RESOURCES = {
  DescribeCompute: DESCRIBE_COMPUTE_ACTIONS,
  LaunchClusters: ['elasticmapreduce:RunJobFlow', 'elasticmapreduce:ListClusters'],
} as const;

/**
 * What Data Pipeline (and EMR, for the clusters it launches) does as the
 * pipeline role, apart from the role passing in declarePipelineRoles: launch
 * and end the EC2 resource and EMR cluster of a run that has no Task Runner
 * of the root stack to use, write the pipeline's logs, check that the ad
 * traffic table exists (the system-run DynamoDBTableExists precondition), and
 * look up the Redshift cluster its RedshiftDatabase object names.
 */
function runPipeline(bucket: Resource<'AWS::S3::Bucket'>): Statement[] {
  const ec2 = arnIn('ec2');
  return [
    { Sid: 'DescribeCompute', Action: ACTIONS_WITHOUT_RESOURCES.DescribeCompute, Resource: '*' },
    {
      Sid: 'LaunchCompute',
      Action: LAUNCH_COMPUTE_ACTIONS,
      // This account's resources in the stack's region, and the AMIs (and their snapshots) AWS owns, whose ARNs
      // name no account.
      Resource: [
        ec2`*`,
        sub`arn:${AWS.Partition}:ec2:${AWS.Region}::image/*`,
        sub`arn:${AWS.Partition}:ec2:${AWS.Region}::snapshot/*`,
      ],
    },
    { Sid: 'LaunchClusters', Action: ACTIONS_WITHOUT_RESOURCES.LaunchClusters, Resource: '*' },
    { Sid: 'ManageClusters', Action: MANAGE_CLUSTER_ACTIONS, Resource: arnIn('elasticmapreduce')`cluster/*` },
    {
      Sid: 'WritePipelineLogs',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: sub`${bucket.getAtt('Arn')}/${PIPELINE_LOG_FOLDER}*`,
    },
    {
      Sid: 'ListPipelineLogs',
      Action: 's3:ListBucket',
      Resource: bucket.getAtt('Arn'),
      Condition: { StringLike: { 's3:prefix': `${PIPELINE_LOG_FOLDER}*` } },
    },
    // The ad traffic table is in the nested batch stack, which takes this role as a parameter: it is named after
    // that stack, whose name starts with this one's.
    {
      Sid: 'CheckAdTrafficTable',
      Action: 'dynamodb:DescribeTable',
      Resource: arnIn('dynamodb')`table/${AWS.StackName}-*`,
    },
    // Redshift keeps cluster identifiers in lower case, which an ARN built from the stack's name might not match.
    { Sid: 'DescribeRedshiftCluster', Action: 'redshift:DescribeClusters', Resource: arnIn('redshift')`cluster:*` },
  ];
}

/**
 * The roles Data Pipeline passes on, and reads first: the resource role (with
 * its instance profile of the same name) to the EC2 resource and the EMR
 * cluster's nodes, and the pipeline role itself to EMR as the cluster's
 * service role. A statement of its own, since a role's own ARN cannot be
 * named in its inline policies.
 */
function passPipelineRoles(roles: PipelineRoles): Statement[] {
  const { PipelineRole, PipelineResourceRole } = roles;
  const both = [PipelineRole, PipelineResourceRole];
  const profile = (name: SubPart) => sub`arn:${AWS.Partition}:iam::${AWS.AccountId}:instance-profile/${name}`;
  return [
    { Sid: 'ReadPipelineRoles', Action: READ_ROLE_ACTIONS, Resource: both.map((role) => role.getAtt('Arn')) },
    {
      Sid: 'ReadPipelineProfiles',
      Action: 'iam:GetInstanceProfile',
      // declareDataPipeline gives each role an instance profile of the role's name.
      Resource: both.map((role) => profile(role)),
    },
    { Sid: 'ListInstanceProfiles', Action: 'iam:ListInstanceProfiles', Resource: profile('*') },
    {
      Sid: 'PassResourceRoleToEc2',
      Action: 'iam:PassRole',
      Resource: PipelineResourceRole.getAtt('Arn'),
      Condition: { StringLike: { 'iam:PassedToService': 'ec2.amazonaws.com*' } },
    },
    {
      Sid: 'PassPipelineRoleToEmr',
      Action: 'iam:PassRole',
      Resource: PipelineRole.getAtt('Arn'),
      Condition: { StringLike: { 'iam:PassedToService': 'elasticmapreduce.amazonaws.com*' } },
    },
  ];
}

export interface PipelineRoles {
  readonly PipelineRole: Resource<'AWS::IAM::Role'>;
  readonly PipelineResourceRole: Resource<'AWS::IAM::Role'>;
}

/**
 * What the pipeline's failure alarm (an SnsAlarm object, which Data Pipeline
 * publishes as this role) needs: to publish to the alarm topic and to use its
 * key for that. The key's policy leaves its use to the account's IAM policies.
 */
function notifyAlarmTopic(alarms: AlarmTopic): Statement[] {
  return [
    { Sid: 'PublishAlarms', Action: 'sns:Publish', Resource: alarms.topic },
    { Sid: 'EncryptAlarms', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: alarms.key.getAtt('Arn') },
  ];
}

export function declarePipelineRoles(
  t: Template,
  bucket: Resource<'AWS::S3::Bucket'>,
  alarms: AlarmTopic,
  legacyBatch: Condition,
): PipelineRoles {
  // Only under Data Pipeline: its service, its EMR clusters and its EC2 resources act as these roles, and Redshift
  // assumes them for the legacy engine's Spectrum SQL. The default engine's cluster has RedshiftSpectrumRole.
  const legacy = { condition: legacyBatch };
  const PipelineRole = t.resource(
    'PipelineRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['datapipeline', 'elasticmapreduce', 'redshift']),
      Policies: [
        inlinePolicy('SpectrumAccess', spectrumAccess(bucket)),
        inlinePolicy('RunPipeline', runPipeline(bucket)),
      ],
    },
    legacy,
  );
  // Data Pipeline publishes the failure alarm as this role.
  const notify = inlinePolicy('NotifyAlarmTopic', notifyAlarmTopic(alarms));
  t.resource('PipelineAlarmPolicy', 'AWS::IAM::Policy', { ...notify, Roles: [PipelineRole] }, legacy);
  const PipelineResourceRole = t.resource(
    'PipelineResourceRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['ec2', 'redshift']),
      ManagedPolicyArns: [managedPolicy('service-role/AmazonEC2RoleforDataPipelineRole')],
      Policies: [inlinePolicy('SpectrumAccess', spectrumAccess(bucket))],
    },
    legacy,
  );
  const roles = { PipelineRole, PipelineResourceRole };
  const pass = inlinePolicy('PassPipelineRoles', passPipelineRoles(roles));
  t.resource('PipelinePassRolePolicy', 'AWS::IAM::Policy', { ...pass, Roles: [PipelineRole] }, legacy);
  return roles;
}

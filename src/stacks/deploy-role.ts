// What CloudFormation may do when the pipeline deploys the application
// stacks: the deploy role of build.yaml. The services come from the resource
// types the application templates declare, so a template that starts using a
// new service fails synth here until its actions are listed, instead of
// failing its first deployment with AccessDenied.
import { AWS, sub, type SubPart, type Value } from '../cfn/intrinsics';
import { TemplateError } from '../errors';
import type { Statement } from './shared/iam';

/**
 * The verbs CloudFormation uses to create, read, update, tag and delete a
 * resource, in the services whose actions follow them.
 */
const LIFECYCLE = ['Create*', 'Delete*', 'Describe*', 'Get*', 'List*', 'Put*', 'Tag*', 'Untag*', 'Update*'];

/** The lifecycle verbs but those the service has no action for. */
const lifecycle = (...without: string[]) => LIFECYCLE.filter((verb) => !without.includes(verb));

/**
 * The actions of each service (IAM prefix) that CloudFormation needs for the
 * resources the templates declare. IAM, CloudFormation itself and the global
 * services have statements of their own (see deployStatements).
 */
const SERVICE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  acm: [
    'RequestCertificate',
    'DeleteCertificate',
    'DescribeCertificate',
    'AddTagsToCertificate',
    'RemoveTagsFromCertificate',
    'ListTagsForCertificate',
  ],
  // API Gateway's actions are the HTTP methods of its management API.
  apigateway: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  cloudwatch: LIFECYCLE,
  codedeploy: [
    ...lifecycle('Describe*'),
    'BatchGet*',
    'RegisterApplicationRevision',
    'StopDeployment',
    'ContinueDeployment',
  ],
  datapipeline: [
    ...lifecycle('Tag*', 'Untag*', 'Update*'),
    'ActivatePipeline',
    'DeactivatePipeline',
    'AddTags',
    'RemoveTags',
    'ValidatePipelineDefinition',
  ],
  // Tables, not their items.
  dynamodb: [
    'CreateTable',
    'DeleteTable',
    'DescribeTable',
    'UpdateTable',
    'ListTables',
    'DescribeTimeToLive',
    'UpdateTimeToLive',
    'DescribeContinuousBackups',
    'UpdateContinuousBackups',
    'DescribeContributorInsights',
    'UpdateContributorInsights',
    'DescribeKinesisStreamingDestination',
    'TagResource',
    'UntagResource',
    'ListTagsOfResource',
  ],
  ec2: [
    ...lifecycle('Tag*', 'Untag*'),
    'Associate*',
    'Disassociate*',
    'Attach*',
    'Detach*',
    'Authorize*',
    'Revoke*',
    'Modify*',
    'Replace*',
    'RunInstances',
    'TerminateInstances',
  ],
  elasticmapreduce: [
    ...lifecycle('Tag*', 'Untag*'),
    'RunJobFlow',
    'TerminateJobFlows',
    'AddTags',
    'RemoveTags',
    'Modify*',
    'SetTerminationProtection',
    'SetVisibleToAllUsers',
  ],
  'emr-serverless': [...lifecycle('Describe*', 'Put*'), 'StartApplication', 'StopApplication'],
  events: [...LIFECYCLE, 'RemoveTargets', 'EnableRule', 'DisableRule'],
  firehose: [...lifecycle('Get*'), 'StartDeliveryStreamEncryption', 'StopDeliveryStreamEncryption'],
  glue: [...LIFECYCLE, 'BatchCreatePartition', 'BatchDeletePartition', 'StartCrawlerSchedule', 'StopCrawlerSchedule'],
  kinesis: [
    ...LIFECYCLE,
    'AddTagsToStream',
    'RemoveTagsFromStream',
    'IncreaseStreamRetentionPeriod',
    'DecreaseStreamRetentionPeriod',
    'StartStreamEncryption',
    'StopStreamEncryption',
  ],
  kms: [
    ...LIFECYCLE,
    'EnableKey',
    'DisableKey',
    'EnableKeyRotation',
    'DisableKeyRotation',
    'ScheduleKeyDeletion',
    'CancelKeyDeletion',
  ],
  kinesisanalytics: [
    ...lifecycle('Put*'),
    'AddApplicationInput',
    'AddApplicationOutput',
    'StartApplication',
    'StopApplication',
  ],
  lambda: [...lifecycle('Describe*'), 'AddPermission', 'RemovePermission', 'PublishVersion'],
  logs: [...LIFECYCLE, 'AssociateKmsKey', 'DisassociateKmsKey'],
  redshift: [...lifecycle('Tag*', 'Untag*'), 'Modify*', 'Authorize*', 'Revoke*', 'Enable*', 'Disable*'],
  // Buckets and their configuration, not their objects.
  s3: [
    'CreateBucket',
    'DeleteBucket',
    'ListBucket',
    'GetBucket*',
    'PutBucket*',
    'DeleteBucketPolicy',
    'Get*Configuration',
    'Put*Configuration',
  ],
  scheduler: lifecycle('Describe*', 'Put*'),
  // Redshift's managed master password is a secret the cluster creates in the caller's name.
  // Secrets are written, never read: no GetSecretValue.
  secretsmanager: [
    'CreateSecret',
    'DeleteSecret',
    'DescribeSecret',
    'UpdateSecret',
    'PutSecretValue',
    'ListSecrets',
    'RotateSecret',
    'CancelRotateSecret',
    'GetRandomPassword',
    'TagResource',
    'UntagResource',
    'PutResourcePolicy',
    'DeleteResourcePolicy',
    'GetResourcePolicy',
  ],
  sns: [...lifecycle('Describe*', 'Update*'), 'Subscribe', 'Unsubscribe', 'SetTopicAttributes'],
  sqs: [...LIFECYCLE, 'SetQueueAttributes'],
  states: lifecycle('Put*'),
};

/** IAM prefix of each CloudFormation namespace (`AWS::<namespace>::<type>`) the templates use. */
const NAMESPACE_SERVICE: Readonly<Record<string, string>> = {
  ApiGateway: 'apigateway',
  CertificateManager: 'acm',
  CloudFormation: 'cloudformation',
  CloudWatch: 'cloudwatch',
  CodeDeploy: 'codedeploy',
  DataPipeline: 'datapipeline',
  DynamoDB: 'dynamodb',
  EC2: 'ec2',
  EMR: 'elasticmapreduce',
  EMRServerless: 'emr-serverless',
  Events: 'events',
  Glue: 'glue',
  IAM: 'iam',
  Kinesis: 'kinesis',
  KinesisAnalytics: 'kinesisanalytics',
  KinesisFirehose: 'firehose',
  KMS: 'kms',
  Lambda: 'lambda',
  Logs: 'logs',
  Redshift: 'redshift',
  Route53: 'route53',
  S3: 's3',
  Scheduler: 'scheduler',
  SecretsManager: 'secretsmanager',
  SNS: 'sns',
  SQS: 'sqs',
  StepFunctions: 'states',
};

/** What the SAM transform turns its resource types into, before CloudFormation creates anything. */
const SAM_EXPANSION: Readonly<Record<string, readonly string[]>> = {
  'AWS::Serverless::Function': [
    'AWS::Lambda::Function',
    'AWS::Lambda::Version',
    'AWS::Lambda::Alias',
    'AWS::CodeDeploy::Application',
    'AWS::CodeDeploy::DeploymentGroup',
    'AWS::IAM::Role',
  ],
  'AWS::Serverless::Api': ['AWS::ApiGateway::RestApi', 'AWS::ApiGateway::Deployment', 'AWS::ApiGateway::Stage'],
  'AWS::Serverless::Application': ['AWS::CloudFormation::Stack'],
  'AWS::Serverless::SimpleTable': ['AWS::DynamoDB::Table'],
};

/** Services a resource type also calls in the caller's name. */
const INDIRECT_SERVICES: Readonly<Record<string, readonly string[]>> = {
  // ManageMasterPassword: Redshift creates and rotates the secret with the caller's rights.
  'AWS::Redshift::Cluster': ['secretsmanager'],
};

/** The IAM prefixes of the services the resource types are created in, sorted. */
export function servicesOf(types: Iterable<string>): string[] {
  const services = new Set<string>();
  for (const declared of types) {
    for (const type of SAM_EXPANSION[declared] ?? [declared]) {
      const namespace = /^AWS::([A-Za-z0-9]+)::[A-Za-z0-9]+$/.exec(type)?.[1];
      const service = namespace === undefined ? undefined : NAMESPACE_SERVICE[namespace];
      if (service === undefined) {
        throw new TemplateError(
          `resource type ${type} has no service in src/stacks/deploy-role.ts: add its namespace (and the service's actions) so the deploy role may create it`,
        );
      }
      services.add(service);
      for (const indirect of INDIRECT_SERVICES[type] ?? []) services.add(indirect);
    }
  }
  return [...services].sort();
}

/** Where the deploy role acts: the stack's region and account, and the prefix every application stack's name starts with. */
export interface DeployScope {
  /** The bootstrap stack's name: the application stacks are `<name>-<branch>`, and CloudFormation names their roles after them. */
  readonly stackName: SubPart;
  /** The bucket the packaged templates and code are in. */
  readonly artifactBucketArn: SubPart;
  /** The ARN of the permissions boundary every role the deploy role creates or grants to must carry. */
  readonly permissionsBoundary: Value<string>;
}

/** What gives a role rights: the deploy role does it only to a role with the permissions boundary. */
const BOUNDED_ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:PutRolePermissionsBoundary',
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
];

/** What would take the boundary off a role or change what it allows: never. */
const BOUNDARY_ROLE_ACTIONS = ['iam:DeleteRolePermissionsBoundary'];
const BOUNDARY_POLICY_ACTIONS = [
  'iam:CreatePolicyVersion',
  'iam:DeletePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:DeletePolicy',
];

/** The rest of what the deploy role does with the roles, instance profiles and policies of the application stacks. */
const ROLE_ACTIONS = [
  'iam:DeleteRole',
  'iam:GetRole',
  'iam:UpdateRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:GetRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:ListRolePolicies',
  'iam:DetachRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:CreateInstanceProfile',
  'iam:DeleteInstanceProfile',
  'iam:GetInstanceProfile',
  'iam:AddRoleToInstanceProfile',
  'iam:RemoveRoleFromInstanceProfile',
  'iam:CreatePolicy',
  'iam:DeletePolicy',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:CreatePolicyVersion',
  'iam:DeletePolicyVersion',
  'iam:ListPolicyVersions',
];

/** What the deploy role does with nested stacks (and the SAM transform their change sets use). */
const STACK_ACTIONS = [
  'cloudformation:CreateStack',
  'cloudformation:UpdateStack',
  'cloudformation:DeleteStack',
  'cloudformation:DescribeStacks',
  'cloudformation:DescribeStackEvents',
  'cloudformation:GetTemplate',
  'cloudformation:CreateChangeSet',
  'cloudformation:DescribeChangeSet',
  'cloudformation:ExecuteChangeSet',
  'cloudformation:DeleteChangeSet',
  'cloudformation:TagResource',
  'cloudformation:UntagResource',
];

/** An edge-optimized custom domain: API Gateway updates its CloudFront distribution, and Route 53 holds its records. */
const DNS_ACTIONS = [
  'route53:GetHostedZone',
  'route53:DeleteHostedZone',
  'route53:ChangeResourceRecordSets',
  'route53:ListResourceRecordSets',
  'route53:ChangeTagsForResource',
  'route53:ListTagsForResource',
  'route53:GetChange',
  'cloudfront:UpdateDistribution',
  'cloudfront:GetDistribution',
];

/** Hosted zones and changes are only known by ids Route 53 gives them, so creating and listing them cannot be held to a resource. */
const DNS_UNSCOPED_ACTIONS = ['route53:CreateHostedZone', 'route53:ListHostedZones'];

/**
 * The statements of the deploy role for resources of these types: each
 * regional service's actions held to the stack's region; IAM only on roles,
 * instance profiles and policies named after the application stacks, a role
 * given rights only with the permissions boundary, which nothing may remove
 * or change; nested
 * stacks only under the application stacks' names; the packaged artifacts
 * read-only. No statement grants a whole service (`service:*`).
 */
export function deployStatements(types: Iterable<string>, scope: DeployScope): Statement[] {
  const services = servicesOf(types);
  const own = new Set(['iam', 'cloudformation', 'route53']);
  const missing = services.filter((s) => SERVICE_ACTIONS[s] === undefined && !own.has(s));
  if (missing.length > 0)
    throw new TemplateError(`no deploy actions are listed for ${missing.join(', ')} in src/stacks/deploy-role.ts`);
  const regional = services.filter((s) => !own.has(s));
  const named = (kind: string) => sub`arn:${AWS.Partition}:iam::${AWS.AccountId}:${kind}/${scope.stackName}-*`;
  const statements: Statement[] = [
    {
      Sid: 'ManageStackResources',
      Action: regional.flatMap((s) => SERVICE_ACTIONS[s]!.map((a) => `${s}:${a}`)),
      Resource: '*',
      // CloudFormation names these resources itself, so they are not known here; the region is.
      Condition: { StringEquals: { 'aws:RequestedRegion': AWS.Region } },
    },
    {
      Sid: 'NestedStacks',
      Action: STACK_ACTIONS,
      Resource: [
        sub`arn:${AWS.Partition}:cloudformation:${AWS.Region}:${AWS.AccountId}:stack/${scope.stackName}-*/*`,
        sub`arn:${AWS.Partition}:cloudformation:${AWS.Region}:aws:transform/Serverless-2016-10-31`,
      ],
    },
    {
      Sid: 'ReadArtifacts',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: sub`${scope.artifactBucketArn}/*`,
    },
    // AMI ids come from AWS's public Systems Manager parameters at each deployment.
    {
      Sid: 'ResolvePublicParameters',
      Action: 'ssm:GetParameters',
      Resource: sub`arn:${AWS.Partition}:ssm:${AWS.Region}::parameter/aws/service/*`,
    },
  ];
  if (services.includes('iam')) {
    statements.push(
      {
        Sid: 'StackRoles',
        Action: ROLE_ACTIONS,
        Resource: [named('role'), named('instance-profile'), named('policy')],
      },
      {
        Sid: 'StackRolesWithinBoundary',
        Action: BOUNDED_ROLE_ACTIONS,
        Resource: named('role'),
        Condition: { StringEquals: { 'iam:PermissionsBoundary': scope.permissionsBoundary } },
      },
      { Sid: 'KeepTheBoundary', Effect: 'Deny', Action: BOUNDARY_ROLE_ACTIONS, Resource: named('role') },
      {
        Sid: 'LeaveTheBoundaryAlone',
        Effect: 'Deny',
        Action: BOUNDARY_POLICY_ACTIONS,
        Resource: scope.permissionsBoundary,
      },
      {
        Sid: 'PassStackRoles',
        Action: 'iam:PassRole',
        Resource: named('role'),
      },
      {
        Sid: 'ServiceLinkedRoles',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: sub`arn:${AWS.Partition}:iam::${AWS.AccountId}:role/aws-service-role/*`,
      },
    );
  }
  if (services.includes('route53')) {
    statements.push(
      {
        Sid: 'Dns',
        Action: DNS_ACTIONS,
        Resource: [
          sub`arn:${AWS.Partition}:route53:::hostedzone/*`,
          sub`arn:${AWS.Partition}:route53:::change/*`,
          sub`arn:${AWS.Partition}:cloudfront::${AWS.AccountId}:distribution/*`,
        ],
      },
      { Sid: 'CreateZones', Action: DNS_UNSCOPED_ACTIONS, Resource: '*' },
    );
  }
  return statements;
}

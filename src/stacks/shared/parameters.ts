// The parameters that more than one template declares, each defined once. The
// root stack lists them in its console form, with labels and groups, and the
// config schema is derived from its declarations, so each description states
// the rules a branch configuration must follow. The nested templates, which
// only their parent fills in, declare the same definitions without the form's
// labels and groups, and only those they use.
import type { Parameter, ParameterDefinition, Template } from '../../cfn/template';
import { BATCH_ENGINE, ENABLE_BATCH_SCHEDULE } from './batch-engine';
import { REAL_TIME_ENGINE } from './realtime-engine';

/** The root's console groups. */
export const GROUP = {
  build: 'Build Info',
  code: 'Code Location',
  ec2: 'EC2',
  deployment: 'Deployment Configuration',
  dns: 'DNS',
  vpc: 'VPC',
  taskRunner: 'Task Runner',
  instance: 'EC2 Instance',
  emr: 'EMR Cluster',
  redshift: 'Redshift',
  pipeline: 'Data Pipeline',
  engines: 'Engines',
  operations: 'Operations',
} as const;

/** The gradual traffic-shifting strategies CodeDeploy offers for Lambda aliases. */
const DEPLOYMENT_PREFERENCES = [
  'Canary10Percent5Minutes',
  'Canary10Percent10Minutes',
  'Canary10Percent15Minutes',
  'Canary10Percent30Minutes',
  'Linear10PercentEvery1Minute',
  'Linear10PercentEvery2Minutes',
  'Linear10PercentEvery3Minutes',
  'Linear10PercentEvery10Minutes',
  'AllAtOnce',
] as const;

const fromBuild = (group: string, label: string, description: string): ParameterDefinition => ({
  type: 'String',
  description,
  label,
  group,
  setBy: 'build',
});

const text = (description: string, more: Partial<ParameterDefinition> = {}): ParameterDefinition => ({
  type: 'String',
  description,
  ...more,
});

/** What a nested stack receives for the name of a Data Pipeline role under the default engine, where the role does not exist. */
const NO_ROLE = 'none';

export const SHARED_PARAMETERS = {
  CodePipeline: fromBuild(
    GROUP.build,
    'Pipeline that built this app',
    'Name of the CodePipeline pipeline that built and deployed this stack. Filled in by the build.',
  ),
  BuildRegion: fromBuild(GROUP.build, 'Region of the build', 'Region the stack was built in. Filled in by the build.'),
  SourceVersion: fromBuild(
    GROUP.build,
    'Source version built',
    'Source revision (commit) the stack was built from. Filled in by the build.',
  ),
  Build: fromBuild(
    GROUP.build,
    'Build id',
    'Unique id of the build that produced this deployment. Filled in by the build.',
  ),
  CodeBucket: fromBuild(
    GROUP.code,
    'Bucket holding packaged code',
    'S3 bucket that holds the packaged job scripts and bootstrap scripts. Filled in by the build.',
  ),
  CodePrefix: fromBuild(
    GROUP.code,
    'Key prefix of packaged code',
    'Key prefix in CodeBucket under which the packaged repository files (jobs/, scripts/) are stored. Filled in by the build.',
  ),

  KeyPair: text(
    'Name of an existing EC2 key pair for SSH access to the task-runner instance and the EMR cluster. Empty: no key pair, and the security group admits no SSH.',
    { default: '', label: 'EC2 key pair for SSH', group: GROUP.ec2 },
  ),

  Stage: text('API Gateway stage to deploy the advertising API to, such as Staging or Prod.', {
    default: 'Prod',
    allowedPattern: '^[A-Za-z0-9_-]{1,128}$',
    constraintDescription: 'a stage name is 1 to 128 letters, digits, hyphens or underscores',
    label: 'API stage',
    group: GROUP.deployment,
  }),
  DeploymentPreference: text(
    'How CodeDeploy shifts traffic to a new version of the API functions. AllAtOnce suits development.',
    {
      default: 'Canary10Percent5Minutes',
      allowedValues: DEPLOYMENT_PREFERENCES,
      label: 'CodeDeploy traffic shifting',
      group: GROUP.deployment,
    },
  ),
  TrafficAuthorization: text(
    "Who may call GET /traffic/{ad-id}, which serves each ad's daily counts. iam (the default): only requests signed (SigV4) by a principal " +
      'whose IAM policy allows execute-api:Invoke on the route. none: anyone. The capture routes are public either way, as beacons must be.',
    {
      default: 'iam',
      allowedValues: ['iam', 'none'],
      label: 'Authorization of the traffic route',
      group: GROUP.deployment,
    },
  ),
  PermissionsBoundaryArn: text(
    'ARN of the managed policy every role of the stacks carries as its permissions boundary, the most any of them may ' +
      "ever do. The pipeline fills in its bootstrap stack's PermissionsBoundary (its deploy role may create roles only " +
      'with it); empty (the default, e.g. deploying by hand): no boundary.',
    {
      default: '',
      allowedPattern: '^$|^arn:aws[a-z-]*:iam::[0-9]{12}:policy/[A-Za-z0-9+=,.@_/-]+$',
      constraintDescription:
        'the ARN of an IAM managed policy, such as arn:aws:iam::123456789012:policy/boundary, or empty',
      label: 'Permissions boundary of the roles',
      group: GROUP.deployment,
    },
  ),

  EnableEC2Instance: text(
    'Non-empty creates a long-running EC2 instance that runs the Data Pipeline Task Runner (BatchEngine data-pipeline only). ' +
      "Needs the Task Runner's keys (the root's AccessKeyID and SecretAccessKey; nested stacks see only TaskRunnerCredentialsARN); without them no instance is created. Implies the VPC.",
    { default: '', label: 'Create the task-runner EC2 instance', group: GROUP.instance },
  ),
  EnableEMRCluster: text(
    'Non-empty creates a long-running EMR cluster whose master node runs the Data Pipeline Task Runner (BatchEngine data-pipeline only). ' +
      "Needs the Task Runner's keys (the root's AccessKeyID and SecretAccessKey; nested stacks see only TaskRunnerCredentialsARN); without them no cluster is created. Implies the VPC.",
    { default: '', label: 'Create the EMR cluster', group: GROUP.emr },
  ),

  RedshiftDatabase: text('Name of the database Redshift creates. Must be non-empty when EnableRedshift is set.', {
    default: 'dataless',
    allowedPattern: '^([a-z_][a-z0-9_$]{0,63})?$',
    constraintDescription:
      'a Redshift database name is up to 64 lower-case letters, digits, underscores or dollar signs, not starting with a digit or dollar sign',
    label: 'Redshift database',
    group: GROUP.redshift,
  }),
  RedshiftUsername: text(
    'Name of the Redshift admin user the pipeline connects as. Must be non-empty when EnableRedshift is set.',
    {
      default: 'dataless',
      allowedPattern: '^([A-Za-z][A-Za-z0-9_]{0,127})?$',
      constraintDescription: 'a Redshift user name is up to 128 letters, digits or underscores, starting with a letter',
      label: 'Redshift user',
      group: GROUP.redshift,
    },
  ),
  RedshiftPassword: text(
    'Password of the Redshift user, used only under BatchEngine data-pipeline, whose pipeline signs in with it. No default: it must be given (8 to 64 characters with upper case, lower case and a digit) when EnableRedshift is set there. ' +
      'Under step-functions (the default) Redshift manages the password in a Secrets Manager secret of its own, and this is ignored.',
    {
      // Deliberately no password: empty means "not set", and Redshift stays off until one is given.
      default: '',
      noEcho: true,
      allowedPattern: '^$|^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])[!#-&(-.0-?A-\\[\\]-~]{8,64}$',
      constraintDescription:
        'a Redshift password is 8 to 64 printable characters with an upper-case letter, a lower-case letter and a digit, and no space, quote, slash, backslash or @; or empty',
      label: 'Redshift password',
      group: GROUP.redshift,
    },
  ),

  EnablePipeline: text(
    'Non-empty (the default) runs the daily batch pipeline under BatchEngine data-pipeline. Set it empty for one deploy to delete the pipeline, ' +
      'e.g. before enabling or disabling the instance, the EMR cluster or Redshift, then set it again. The step-functions engine ignores it.',
    { default: 'yes', label: 'Run the daily pipeline', group: GROUP.pipeline },
  ),

  RealTimeEngine: { ...REAL_TIME_ENGINE.parameter, label: 'Real-time counting engine', group: GROUP.engines },
  BatchEngine: { ...BATCH_ENGINE.parameter, label: 'Batch engine', group: GROUP.engines },
  EnableBatchSchedule: { ...ENABLE_BATCH_SCHEDULE, label: 'Run the batch daily', group: GROUP.engines },
  AdTrafficBillingMode: text(
    'How the ad traffic DynamoDB table, which the batch fills and the API reads, is billed. ' +
      'PAY_PER_REQUEST (the default): on demand, with no capacity to manage or exhaust. ' +
      "PROVISIONED: the original's 1 read and 1 write unit, with 1000 write units added around each load and given back after it; " +
      'reads beyond light use are throttled, and DynamoDB limits how often capacity can be decreased, so re-running several days within an hour can leave the table at the raised capacity.',
    {
      default: 'PAY_PER_REQUEST',
      allowedValues: ['PAY_PER_REQUEST', 'PROVISIONED'],
      label: 'Ad traffic table billing',
      group: GROUP.engines,
    },
  ),

  // What the root creates and hands down: only the nested templates declare these.
  BucketName: text('Name of the data lake bucket: the raw and lake data, the staging data and the pipeline logs.'),
  BucketARN: text('ARN of the data lake bucket.', {
    allowedPattern: '^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    constraintDescription: 'must be the ARN of an S3 bucket, e.g. arn:aws:s3:::my-data-bucket',
  }),
  Subnet: text('Subnet the Data Pipeline EC2 resource runs in. Give it with SecurityGroup; empty: the default VPC.', {
    default: '',
  }),
  SecurityGroup: text(
    'Security group of the Data Pipeline EC2 resource. Give it with Subnet; empty: the default VPC.',
    { default: '' },
  ),
  TaskRunnerCredentialsARN: text(
    "ARN of the root stack's secret that holds the Task Runner's keys; empty: no task runner runs (no keys were given, or the batch engine is not data-pipeline). The keys themselves never leave the root stack.",
    { default: '' },
  ),
  RedshiftClusterId: text(
    'Identifier of the Redshift cluster the batch loads; empty: no cluster, and every Redshift step is skipped.',
    {
      default: '',
    },
  ),
  RedshiftSpectrumRoleARN: text(
    "ARN of the role the Redshift cluster assumes for Spectrum and COPY under BatchEngine step-functions (the root stack's RedshiftSpectrumRole): the state machine's SQL names it. Empty: no cluster, or the data-pipeline engine.",
    { default: '' },
  ),
  // The names default to a placeholder, not to empty: cfn-lint checks the instance profiles that name them
  // against IAM's role-name pattern, though those exist only under data-pipeline, where the root passes the names.
  PipelineRole: text(`Name of the role Data Pipeline assumes; ${NO_ROLE} unless BatchEngine is data-pipeline.`, {
    default: NO_ROLE,
  }),
  PipelineRoleARN: text(
    'ARN of the role Data Pipeline assumes; empty unless BatchEngine is data-pipeline. Under that engine it is attached to the Redshift cluster: Spectrum reads the lake catalog, and COPY the staging area, through it.',
    { default: '' },
  ),
  PipelineResourceRole: text(
    `Name of the role the EC2 resource and EMR cluster of the pipeline run as; ${NO_ROLE} unless BatchEngine is data-pipeline.`,
    { default: NO_ROLE },
  ),
  PipelineResourceRoleARN: text(
    'ARN of the role the EC2 resource and EMR cluster of the pipeline run as; empty unless BatchEngine is data-pipeline.',
    { default: '' },
  ),
  AlarmTopicArn: text("ARN of the SNS topic every alarm notifies (the root stack's AlarmTopic).", {
    allowedPattern: '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$',
    constraintDescription: 'must be the ARN of an SNS topic, e.g. arn:aws:sns:us-east-1:123456789012:alarms',
  }),
} satisfies Record<string, ParameterDefinition>;

export type SharedParameterName = keyof typeof SHARED_PARAMETERS;

/** Declares every parameter of `definitions`, in order, and hands back their handles by logical id. */
export function declareAll<Name extends string>(
  t: Template,
  definitions: Readonly<Record<Name, ParameterDefinition>>,
): Readonly<Record<Name, Parameter>> {
  const handles = {} as Record<Name, Parameter>;
  for (const name of Object.keys(definitions) as Name[]) handles[name] = t.parameter(name, definitions[name]);
  return handles;
}

/** The handles of `names`: a nested stack's Parameters that pass each of them on unchanged. */
export function passOn<Name extends string>(
  handles: Readonly<Record<Name, Parameter>>,
  names: readonly Name[],
): Record<Name, Parameter> {
  const passed = {} as Record<Name, Parameter>;
  for (const name of names) passed[name] = handles[name];
  return passed;
}

/**
 * Declares the shared parameters `names` in a nested template, in that order:
 * the shared definitions without the console form's label and group, changed
 * where `overrides` says.
 */
export function declareShared<Name extends SharedParameterName>(
  t: Template,
  names: readonly Name[],
  overrides: Partial<Record<Name, Partial<ParameterDefinition>>> = {},
): Readonly<Record<Name, Parameter>> {
  const handles = {} as Record<Name, Parameter>;
  for (const name of names) {
    const { label: _label, group: _group, ...definition }: ParameterDefinition = SHARED_PARAMETERS[name];
    handles[name] = t.parameter(name, { ...definition, ...overrides[name] });
  }
  return handles;
}

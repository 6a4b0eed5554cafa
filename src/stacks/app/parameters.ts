// The root stack's parameters. Each description states, in words, the rules
// a branch configuration must follow (the config validator enforces the ones
// that span several parameters); groups and labels drive the console form.
import type { Parameter, Template } from '../../cfn/template';
import { declareBatchEngine, declareEnableBatchSchedule } from '../shared/batch-engine';
import { declareRealTimeEngine } from '../shared/realtime-engine';
import { DEPLOYMENT_PREFERENCES } from '../shared/deployment';


/**
 * Redshift node types a new cluster can be created with: the RA3 family. The
 * dense-storage ds2 types are retired, and new clusters are refused the dc2
 * types.
 */
export const REDSHIFT_NODE_TYPES = ['ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge'] as const;

/** Where the task-runner instance takes its machine image from: the latest Amazon Linux 2023, as AWS publishes it. */
export const TASK_RUNNER_IMAGE_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

/** An EC2 instance type such as m5.xlarge or c6gn.16xlarge. */
export const INSTANCE_TYPE_PATTERN = '^[a-z][a-z0-9-]*\\.[a-z0-9]+$';
const INSTANCE_TYPE_RULE = 'an instance type is a family and a size separated by a dot, such as m5.xlarge';

/** A DNS name of two or more labels (example.com, warehouse.example.com), or empty. */
const DNS_NAME_PATTERN = '^$|^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$';
const DNS_NAME_RULE = 'a DNS name is two or more dot-separated labels of letters, digits and inner hyphens, or empty';

/** Handles of every root parameter, by logical id. */
export interface AppParameters {
  readonly CodePipeline: Parameter;
  readonly BuildRegion: Parameter;
  readonly SourceVersion: Parameter;
  readonly Build: Parameter;
  readonly CodeBucket: Parameter;
  readonly CodePrefix: Parameter;
  readonly KeyPair: Parameter;
  readonly Stage: Parameter;
  readonly DeploymentPreference: Parameter;
  readonly DNSDomainName: Parameter;
  readonly BaseDNSName: Parameter;
  readonly HostedZoneID: Parameter;
  readonly EnableVPC: Parameter;
  readonly AccessKeyID: Parameter;
  readonly SecretAccessKey: Parameter;
  readonly EnableEC2Instance: Parameter;
  readonly EC2InstanceSize: Parameter;
  readonly EnableEMRCluster: Parameter;
  readonly EMRRelease: Parameter;
  readonly EMRMasterInstanceType: Parameter;
  readonly EMRMasterInstanceCount: Parameter;
  readonly EMRCoreInstanceType: Parameter;
  readonly EMRCoreInstanceCount: Parameter;
  readonly EnableRedshift: Parameter;
  readonly RedshiftNodeType: Parameter;
  readonly RedshiftNumberOfNodes: Parameter;
  readonly RedshiftDatabase: Parameter;
  readonly RedshiftUsername: Parameter;
  readonly RedshiftPassword: Parameter;
  readonly EnablePipeline: Parameter;
  readonly RealTimeEngine: Parameter;
  readonly BatchEngine: Parameter;
  readonly EnableBatchSchedule: Parameter;
  readonly TaskRunnerImageId: Parameter;
}

/** Console groups, in the order the form lists them. */
const GROUP = {
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
} as const;

/** Declares the parameters in console order: a group is listed where its first parameter is declared. */
export function declareParameters(t: Template): AppParameters {
  const fromBuild = (id: string, group: string, label: string, description: string) =>
    t.parameter(id, { type: 'String', description, label, group, setBy: 'build' });

  const CodePipeline = fromBuild('CodePipeline', GROUP.build, 'Pipeline that built this app', 'Name of the CodePipeline pipeline that built and deployed this stack. Filled in by the build.');
  const BuildRegion = fromBuild('BuildRegion', GROUP.build, 'Region of the build', 'Region the stack was built in. Filled in by the build.');
  const SourceVersion = fromBuild('SourceVersion', GROUP.build, 'Source version built', 'Source revision (commit) the stack was built from. Filled in by the build.');
  const Build = fromBuild('Build', GROUP.build, 'Build id', 'Unique id of the build that produced this deployment. Filled in by the build.');
  const CodeBucket = fromBuild('CodeBucket', GROUP.code, 'Bucket holding packaged code', 'S3 bucket that holds the packaged job scripts and bootstrap scripts. Filled in by the build.');
  const CodePrefix = fromBuild('CodePrefix', GROUP.code, 'Key prefix of packaged code', 'Key prefix in CodeBucket under which the packaged repository files (jobs/, scripts/) are stored. Filled in by the build.');

  const KeyPair = t.parameter('KeyPair', {
    type: 'String',
    default: '',
    description: 'Name of an existing EC2 key pair for SSH access to the task-runner instance and the EMR cluster. Empty: no key pair, and the security group admits no SSH.',
    label: 'EC2 key pair for SSH',
    group: GROUP.ec2,
  });

  const Stage = t.parameter('Stage', {
    type: 'String',
    default: 'Prod',
    description: 'API Gateway stage to deploy the advertising API to, such as Staging or Prod.',
    allowedPattern: '^[A-Za-z0-9_-]{1,128}$',
    constraintDescription: 'a stage name is 1 to 128 letters, digits, hyphens or underscores',
    label: 'API stage',
    group: GROUP.deployment,
  });
  const DeploymentPreference = t.parameter('DeploymentPreference', {
    type: 'String',
    default: 'Canary10Percent5Minutes',
    allowedValues: DEPLOYMENT_PREFERENCES,
    description: 'How CodeDeploy shifts traffic to a new version of the API functions. AllAtOnce suits development.',
    label: 'CodeDeploy traffic shifting',
    group: GROUP.deployment,
  });

  const DNSDomainName = t.parameter('DNSDomainName', {
    type: 'String',
    default: '',
    allowedPattern: DNS_NAME_PATTERN,
    constraintDescription: DNS_NAME_RULE,
    description:
      'Domain name in Route 53, such as example.com, that the warehouse is served under; ACM validates the certificate through it. ' +
      'Give both DNSDomainName and BaseDNSName, or neither: DNS is set up only when both are non-empty.',
    label: 'Route 53 domain name',
    group: GROUP.dns,
  });
  const BaseDNSName = t.parameter('BaseDNSName', {
    type: 'String',
    default: '',
    allowedPattern: DNS_NAME_PATTERN,
    constraintDescription: DNS_NAME_RULE,
    description:
      'DNS name the APIs are served at, such as warehouse.example.com. ' +
      'Must be DNSDomainName itself or a subdomain of it. Give both DNSDomainName and BaseDNSName, or neither.',
    label: 'Base DNS name of the APIs',
    group: GROUP.dns,
  });
  const HostedZoneID = t.parameter('HostedZoneID', {
    type: 'String',
    default: '',
    allowedPattern: '^(Z[A-Z0-9]{1,31})?$',
    constraintDescription: 'a hosted zone id is a Z followed by upper-case letters and digits, or empty',
    description:
      'Id of the existing Route 53 hosted zone of DNSDomainName to add the API record to. ' +
      'Empty: the stack creates a hosted zone. Only used when DNS is set up (DNSDomainName and BaseDNSName given); ' +
      'when the domain already has a hosted zone, this must be its id.',
    label: 'Existing hosted zone id',
    group: GROUP.dns,
  });

  const EnableVPC = t.parameter('EnableVPC', {
    type: 'String',
    default: '',
    description: 'Non-empty creates the VPC. Enabling the EC2 instance, the EMR cluster or Redshift creates it too, whatever this says.',
    label: 'Create a VPC',
    group: GROUP.vpc,
  });

  const AccessKeyID = t.parameter('AccessKeyID', {
    type: 'String',
    default: '',
    allowedPattern: '^[A-Z0-9]{0,128}$',
    constraintDescription: 'an access key id is upper-case letters and digits, or empty',
    description:
      'Access key id of a dedicated, narrowly scoped IAM user that the Data Pipeline Task Runner on the EC2 instance or EMR cluster signs in as. ' +
      'Give both AccessKeyID and SecretAccessKey, or neither; the instance and the cluster need both.',
    label: 'Task Runner access key id',
    group: GROUP.taskRunner,
  });
  const SecretAccessKey = t.parameter('SecretAccessKey', {
    type: 'String',
    default: '',
    noEcho: true,
    // Keys never hold other characters; the limit also keeps the value inert in the instance's boot script.
    allowedPattern: '^[A-Za-z0-9/+=]*$',
    constraintDescription: 'a secret access key is letters, digits, slashes, plus and equals signs, or empty',
    description: 'Secret access key that goes with AccessKeyID. Give both or neither.',
    label: 'Task Runner secret access key',
    group: GROUP.taskRunner,
  });

  const EnableEC2Instance = t.parameter('EnableEC2Instance', {
    type: 'String',
    default: '',
    description:
      'Non-empty creates a long-running EC2 instance that runs the Data Pipeline Task Runner (BatchEngine data-pipeline only). ' +
      'Needs AccessKeyID and SecretAccessKey; without them no instance is created. Implies the VPC.',
    label: 'Create the task-runner EC2 instance',
    group: GROUP.instance,
  });
  const EC2InstanceSize = t.parameter('EC2InstanceSize', {
    type: 'String',
    default: 't3.micro',
    allowedPattern: INSTANCE_TYPE_PATTERN,
    constraintDescription: INSTANCE_TYPE_RULE,
    description: 'Instance type of the task-runner EC2 instance (x86_64, to match TaskRunnerImageId).',
    label: 'Task-runner instance type',
    group: GROUP.instance,
  });
  const TaskRunnerImageId = t.parameter('TaskRunnerImageId', {
    type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
    default: TASK_RUNNER_IMAGE_PARAMETER,
    description:
      'Systems Manager parameter that holds the machine image of the task-runner instance; by default the latest Amazon Linux 2023 (x86_64), ' +
      'looked up at each deployment. Name another public or own parameter to pin an image.',
    label: 'Task-runner image (SSM parameter)',
    group: GROUP.instance,
  });

  const EnableEMRCluster = t.parameter('EnableEMRCluster', {
    type: 'String',
    default: '',
    description:
      'Non-empty creates a long-running EMR cluster whose master node runs the Data Pipeline Task Runner (BatchEngine data-pipeline only). ' +
      'Needs AccessKeyID and SecretAccessKey; without them no cluster is created. Implies the VPC.',
    label: 'Create the EMR cluster',
    group: GROUP.emr,
  });
  const EMRRelease = t.parameter('EMRRelease', {
    type: 'String',
    default: 'emr-7.9.0',
    allowedPattern: '^emr-[0-9]+\\.[0-9]+\\.[0-9]+$',
    constraintDescription: 'an EMR release label looks like emr-7.9.0',
    description: 'EMR release label of the cluster, such as emr-7.9.0.',
    label: 'EMR release',
    group: GROUP.emr,
  });
  const EMRMasterInstanceType = t.parameter('EMRMasterInstanceType', {
    type: 'String',
    default: 'm5.xlarge',
    allowedPattern: INSTANCE_TYPE_PATTERN,
    constraintDescription: INSTANCE_TYPE_RULE,
    description: 'Instance type of the EMR master node(s).',
    label: 'EMR master instance type',
    group: GROUP.emr,
  });
  const EMRMasterInstanceCount = t.parameter('EMRMasterInstanceCount', {
    type: 'Number',
    integer: true,
    default: 1,
    allowedValues: [1, 3],
    description: 'Number of EMR master nodes: 1, or 3 for a highly available master (EMR 5.23.0 and later).',
    label: 'EMR master instance count',
    group: GROUP.emr,
  });
  const EMRCoreInstanceType = t.parameter('EMRCoreInstanceType', {
    type: 'String',
    default: 'm5.xlarge',
    allowedPattern: INSTANCE_TYPE_PATTERN,
    constraintDescription: INSTANCE_TYPE_RULE,
    description: 'Instance type of the EMR core nodes.',
    label: 'EMR core instance type',
    group: GROUP.emr,
  });
  const EMRCoreInstanceCount = t.parameter('EMRCoreInstanceCount', {
    type: 'Number',
    integer: true,
    default: 1,
    minValue: 1,
    maxValue: 256,
    description: 'Number of EMR core nodes, 1 to 256.',
    label: 'EMR core instance count',
    group: GROUP.emr,
  });

  const EnableRedshift = t.parameter('EnableRedshift', {
    type: 'String',
    default: '',
    description:
      'Non-empty creates a Redshift cluster that the daily pipeline loads. ' +
      'Needs RedshiftDatabase, RedshiftUsername and RedshiftPassword all non-empty; without them no cluster is created. Implies the VPC.',
    label: 'Create the Redshift cluster',
    group: GROUP.redshift,
  });
  const RedshiftNodeType = t.parameter('RedshiftNodeType', {
    type: 'String',
    default: 'ra3.large',
    allowedValues: REDSHIFT_NODE_TYPES,
    description: 'Node type of the Redshift cluster. ra3.large and ra3.xlplus can run a single node; ra3.4xlarge and ra3.16xlarge need 2 or more.',
    label: 'Redshift node type',
    group: GROUP.redshift,
  });
  const RedshiftNumberOfNodes = t.parameter('RedshiftNumberOfNodes', {
    type: 'Number',
    integer: true,
    default: 1,
    minValue: 1,
    maxValue: 100,
    description: 'Number of Redshift nodes, 1 to 100; 1 makes a single-node cluster.',
    label: 'Redshift node count',
    group: GROUP.redshift,
  });
  const RedshiftDatabase = t.parameter('RedshiftDatabase', {
    type: 'String',
    default: 'dataless',
    allowedPattern: '^([a-z_][a-z0-9_$]{0,63})?$',
    constraintDescription: 'a Redshift database name is up to 64 lower-case letters, digits, underscores or dollar signs, not starting with a digit or dollar sign',
    description: 'Name of the database Redshift creates. Must be non-empty when EnableRedshift is set.',
    label: 'Redshift database',
    group: GROUP.redshift,
  });
  const RedshiftUsername = t.parameter('RedshiftUsername', {
    type: 'String',
    default: 'dataless',
    allowedPattern: '^([A-Za-z][A-Za-z0-9_]{0,127})?$',
    constraintDescription: 'a Redshift user name is up to 128 letters, digits or underscores, starting with a letter',
    description: 'Name of the Redshift admin user the pipeline connects as. Must be non-empty when EnableRedshift is set.',
    label: 'Redshift user',
    group: GROUP.redshift,
  });
  const RedshiftPassword = t.parameter('RedshiftPassword', {
    type: 'String',
    // Deliberately no password: empty means "not set", and Redshift stays off until one is given.
    default: '',
    noEcho: true,
    allowedPattern: '^$|^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])[!#-&(-.0-?A-\\[\\]-~]{8,64}$',
    constraintDescription:
      'a Redshift password is 8 to 64 printable characters with an upper-case letter, a lower-case letter and a digit, and no space, quote, slash, backslash or @; or empty',
    description:
      'Password of the Redshift user. No default: it must be given (8 to 64 characters with upper case, lower case and a digit) when EnableRedshift is set.',
    label: 'Redshift password',
    group: GROUP.redshift,
  });

  const EnablePipeline = t.parameter('EnablePipeline', {
    type: 'String',
    default: 'yes',
    description:
      'Non-empty (the default) runs the daily batch pipeline under BatchEngine data-pipeline. Set it empty for one deploy to delete the pipeline, ' +
      'e.g. before enabling or disabling the instance, the EMR cluster or Redshift, then set it again. The step-functions engine ignores it.',
    label: 'Run the daily pipeline',
    group: GROUP.pipeline,
  });

  const RealTimeEngine = declareRealTimeEngine(t, GROUP.engines);
  const BatchEngine = declareBatchEngine(t, GROUP.engines);
  const EnableBatchSchedule = declareEnableBatchSchedule(t, GROUP.engines);

  return {
    CodePipeline,
    BuildRegion,
    SourceVersion,
    Build,
    CodeBucket,
    CodePrefix,
    KeyPair,
    Stage,
    DeploymentPreference,
    DNSDomainName,
    BaseDNSName,
    HostedZoneID,
    EnableVPC,
    AccessKeyID,
    SecretAccessKey,
    EnableEC2Instance,
    EC2InstanceSize,
    EnableEMRCluster,
    EMRRelease,
    EMRMasterInstanceType,
    EMRMasterInstanceCount,
    EMRCoreInstanceType,
    EMRCoreInstanceCount,
    EnableRedshift,
    RedshiftNodeType,
    RedshiftNumberOfNodes,
    RedshiftDatabase,
    RedshiftUsername,
    RedshiftPassword,
    EnablePipeline,
    RealTimeEngine,
    BatchEngine,
    EnableBatchSchedule,
    TaskRunnerImageId,
  };
}

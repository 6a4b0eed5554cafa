// The root stack's parameters. Each description states, in words, the rules
// a branch configuration must follow (the config validator enforces the ones
// that span several parameters); groups and labels drive the console form.
import type { ParameterDefinition, Template } from '../../cfn/template';
import { GROUP, SHARED_PARAMETERS as SHARED, declareAll } from '../shared/parameters';

/**
 * Redshift node types a new cluster can be created with: the RA3 family. The
 * dense-storage ds2 types are retired, and new clusters are refused the dc2
 * types.
 */
const REDSHIFT_NODE_TYPES = ['ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge'] as const;

/** Where the task-runner instance takes its machine image from: the latest Amazon Linux 2023, as AWS publishes it. */
const TASK_RUNNER_IMAGE_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

/** An EC2 instance type such as m5.xlarge or c6gn.16xlarge. */
const INSTANCE_TYPE_PATTERN = '^[a-z][a-z0-9-]*\\.[a-z0-9]+$';
const INSTANCE_TYPE_RULE = 'an instance type is a family and a size separated by a dot, such as m5.xlarge';

/** A DNS name of two or more labels (example.com, warehouse.example.com), or empty. */
const DNS_NAME_PATTERN = '^$|^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$';
const DNS_NAME_RULE = 'a DNS name is two or more dot-separated labels of letters, digits and inner hyphens, or empty';

/**
 * Every root parameter, in console order: a group is listed where its first
 * parameter is. Those the nested templates declare too are defined in
 * shared/parameters.ts.
 */
const PARAMETERS = {
  CodePipeline: SHARED.CodePipeline,
  BuildRegion: SHARED.BuildRegion,
  SourceVersion: SHARED.SourceVersion,
  Build: SHARED.Build,
  CodeBucket: SHARED.CodeBucket,
  CodePrefix: SHARED.CodePrefix,
  KeyPair: SHARED.KeyPair,
  SSHLocation: {
    type: 'String',
    default: '',
    // Dotted quad and a prefix of /8 to /32: never the whole internet.
    allowedPattern: '^$|^([0-9]{1,3}\\.){3}[0-9]{1,3}/([89]|[12][0-9]|3[0-2])$',
    constraintDescription: 'an IPv4 address range such as 203.0.113.7/32, with a prefix of /8 to /32, or empty',
    description:
      'Address range SSH logins may come from, such as your own address as 203.0.113.7/32. Empty: the security group admits no SSH. ' +
      'Only used when KeyPair is given.',
    label: 'SSH source address range',
    group: GROUP.ec2,
  },
  Stage: SHARED.Stage,
  DeploymentPreference: SHARED.DeploymentPreference,
  TrafficAuthorization: SHARED.TrafficAuthorization,
  PermissionsBoundaryArn: SHARED.PermissionsBoundaryArn,

  DNSDomainName: {
    type: 'String',
    default: '',
    allowedPattern: DNS_NAME_PATTERN,
    constraintDescription: DNS_NAME_RULE,
    description:
      'Domain name in Route 53, such as example.com, that the warehouse is served under. ' +
      'Give both DNSDomainName and BaseDNSName, or neither: DNS is set up only when both are non-empty.',
    label: 'Route 53 domain name',
    group: GROUP.dns,
  },
  BaseDNSName: {
    type: 'String',
    default: '',
    allowedPattern: DNS_NAME_PATTERN,
    constraintDescription: DNS_NAME_RULE,
    description:
      'DNS name the APIs are served at, such as warehouse.example.com. ' +
      'Must be DNSDomainName itself or a subdomain of it. Give both DNSDomainName and BaseDNSName, or neither.',
    label: 'Base DNS name of the APIs',
    group: GROUP.dns,
  },
  HostedZoneID: {
    type: 'String',
    default: '',
    allowedPattern: '^(Z[A-Z0-9]{1,31})?$',
    constraintDescription: 'a hosted zone id is a Z followed by upper-case letters and digits, or empty',
    description:
      'Id of the existing public Route 53 hosted zone of DNSDomainName, to which the stack adds the API record and the record that validates its certificate. ' +
      'Empty: the stack creates a hosted zone, and the certificate is validated only once that zone answers for the domain (its name servers set at the registrar or the parent zone). ' +
      'Only used when DNS is set up (DNSDomainName and BaseDNSName given); when the domain already has a hosted zone, this must be its id.',
    label: 'Existing hosted zone id',
    group: GROUP.dns,
  },

  EnableVPC: {
    type: 'String',
    default: '',
    description:
      'Non-empty creates the VPC. Enabling the EC2 instance, the EMR cluster or Redshift creates it too, whatever this says.',
    label: 'Create a VPC',
    group: GROUP.vpc,
  },

  // Only the root declares the keys: it stores them in the secret TaskRunnerCredentials and hands the nested
  // stacks that secret's ARN, so they never travel further.
  AccessKeyID: {
    type: 'String',
    default: '',
    allowedPattern: '^[A-Z0-9]{0,128}$',
    constraintDescription: 'an access key id is upper-case letters and digits, or empty',
    description:
      'Access key id of a dedicated, narrowly scoped IAM user that the Data Pipeline Task Runner on the EC2 instance or EMR cluster signs in as. ' +
      'Give both AccessKeyID and SecretAccessKey, or neither; the instance and the cluster need both.',
    label: 'Task Runner access key id',
    group: GROUP.taskRunner,
  },
  SecretAccessKey: {
    type: 'String',
    default: '',
    noEcho: true,
    // Keys never hold other characters; the limit also keeps the JSON of the Task Runner's credentials secret well formed.
    allowedPattern: '^[A-Za-z0-9/+=]*$',
    constraintDescription: 'a secret access key is letters, digits, slashes, plus and equals signs, or empty',
    description:
      'Secret access key that goes with AccessKeyID. Give both or neither. Stored in a Secrets Manager secret that the instance and the cluster read at boot.',
    label: 'Task Runner secret access key',
    group: GROUP.taskRunner,
  },

  EnableEC2Instance: SHARED.EnableEC2Instance,
  EC2InstanceSize: {
    type: 'String',
    default: 't3.micro',
    allowedPattern: INSTANCE_TYPE_PATTERN,
    constraintDescription: INSTANCE_TYPE_RULE,
    description: 'Instance type of the task-runner EC2 instance (x86_64, to match TaskRunnerImageId).',
    label: 'Task-runner instance type',
    group: GROUP.instance,
  },
  TaskRunnerImageId: {
    type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
    default: TASK_RUNNER_IMAGE_PARAMETER,
    description:
      'Systems Manager parameter that holds the machine image of the task-runner instance; by default the latest Amazon Linux 2023 (x86_64), ' +
      'looked up at each deployment. Name another public or own parameter to pin an image.',
    label: 'Task-runner image (SSM parameter)',
    group: GROUP.instance,
  },

  EnableEMRCluster: SHARED.EnableEMRCluster,
  EMRRelease: {
    type: 'String',
    default: 'emr-7.9.0',
    allowedPattern: '^emr-[0-9]+\\.[0-9]+\\.[0-9]+$',
    constraintDescription: 'an EMR release label looks like emr-7.9.0',
    description: 'EMR release label of the cluster, such as emr-7.9.0.',
    label: 'EMR release',
    group: GROUP.emr,
  },
  EMRMasterInstanceType: {
    type: 'String',
    default: 'm5.xlarge',
    allowedPattern: INSTANCE_TYPE_PATTERN,
    constraintDescription: INSTANCE_TYPE_RULE,
    description: 'Instance type of the EMR master node(s).',
    label: 'EMR master instance type',
    group: GROUP.emr,
  },
  EMRMasterInstanceCount: {
    type: 'Number',
    integer: true,
    default: 1,
    allowedValues: [1, 3],
    description: 'Number of EMR master nodes: 1, or 3 for a highly available master (EMR 5.23.0 and later).',
    label: 'EMR master instance count',
    group: GROUP.emr,
  },
  EMRCoreInstanceType: {
    type: 'String',
    default: 'm5.xlarge',
    allowedPattern: INSTANCE_TYPE_PATTERN,
    constraintDescription: INSTANCE_TYPE_RULE,
    description: 'Instance type of the EMR core nodes.',
    label: 'EMR core instance type',
    group: GROUP.emr,
  },
  EMRCoreInstanceCount: {
    type: 'Number',
    integer: true,
    default: 1,
    minValue: 1,
    maxValue: 256,
    description: 'Number of EMR core nodes, 1 to 256.',
    label: 'EMR core instance count',
    group: GROUP.emr,
  },
  EMRTLSCertificates: {
    type: 'String',
    default: '',
    allowedPattern: '^$|^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+\\.zip$',
    constraintDescription: 'an S3 URL of a zip file, such as s3://my-bucket/emr/certificates.zip, or empty',
    description:
      'S3 URL of a zip of PEM files (privateKey.pem, certificateChain.pem, trustedCertificates.pem) that the EMR cluster ' +
      "encrypts its nodes' traffic with; the nodes read it with their role. Empty (the default): in-transit encryption off " +
      '(at-rest encryption is always on). The project cannot make these certificates for you.',
    label: 'EMR in-transit certificates',
    group: GROUP.emr,
  },

  EnableRedshift: {
    type: 'String',
    default: '',
    description:
      'Non-empty creates a Redshift cluster that the daily pipeline loads. ' +
      'Needs RedshiftDatabase and RedshiftUsername non-empty, and RedshiftPassword too under BatchEngine data-pipeline; without them no cluster is created. Implies the VPC.',
    label: 'Create the Redshift cluster',
    group: GROUP.redshift,
  },
  RedshiftNodeType: {
    type: 'String',
    default: 'ra3.large',
    allowedValues: REDSHIFT_NODE_TYPES,
    description:
      'Node type of the Redshift cluster. ra3.large and ra3.xlplus can run a single node; ra3.4xlarge and ra3.16xlarge need 2 or more.',
    label: 'Redshift node type',
    group: GROUP.redshift,
  },
  RedshiftNumberOfNodes: {
    type: 'Number',
    integer: true,
    default: 1,
    minValue: 1,
    maxValue: 100,
    description: 'Number of Redshift nodes, 1 to 100; 1 makes a single-node cluster.',
    label: 'Redshift node count',
    group: GROUP.redshift,
  },
  RedshiftDatabase: SHARED.RedshiftDatabase,
  RedshiftUsername: SHARED.RedshiftUsername,
  RedshiftPassword: SHARED.RedshiftPassword,

  EnablePipeline: SHARED.EnablePipeline,

  RealTimeEngine: SHARED.RealTimeEngine,
  BatchEngine: SHARED.BatchEngine,
  EnableBatchSchedule: SHARED.EnableBatchSchedule,
  AdTrafficBillingMode: SHARED.AdTrafficBillingMode,

  AlarmEmail: {
    type: 'String',
    default: '',
    allowedPattern: '^$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
    constraintDescription: 'an e-mail address such as ops@example.com, or empty',
    description:
      'E-mail address subscribed to the alarm topic (AWS sends it a confirmation message first). ' +
      'Empty: no subscription; subscribe chat or paging tools to the topic named by the AlarmTopicArn output instead.',
    label: 'E-mail for alarms',
    group: GROUP.operations,
  },
} satisfies Record<string, ParameterDefinition>;

/** Handles of every root parameter, by logical id. */
export type AppParameters = ReturnType<typeof declareParameters>;

export function declareParameters(t: Template) {
  return declareAll(t, PARAMETERS);
}

// The advertising service's parameters. The root stack passes every one of
// them; most only travel on to the nested lake, batch and real-time stacks.
import type { Parameter, Template } from '../../../cfn/template';
import { declareBatchEngine, declareEnableBatchSchedule } from '../../shared/batch-engine';
import { declareRealTimeEngine } from '../../shared/realtime-engine';
import { DEPLOYMENT_PREFERENCES } from '../../shared/deployment';


/** Handles of every service parameter, by logical id. */
export interface ServiceParameters {
  readonly CodePipeline: Parameter;
  readonly BuildRegion: Parameter;
  readonly SourceVersion: Parameter;
  readonly Build: Parameter;
  readonly CodeBucket: Parameter;
  readonly CodePrefix: Parameter;
  readonly KeyPair: Parameter;
  readonly Stage: Parameter;
  readonly DeploymentPreference: Parameter;
  readonly Subnet: Parameter;
  readonly SecurityGroup: Parameter;
  readonly AccessKeyID: Parameter;
  readonly SecretAccessKey: Parameter;
  readonly BucketName: Parameter;
  readonly BucketARN: Parameter;
  readonly EnableEC2Instance: Parameter;
  readonly EnableEMRCluster: Parameter;
  readonly RedshiftClusterId: Parameter;
  readonly RedshiftDatabase: Parameter;
  readonly RedshiftUsername: Parameter;
  readonly RedshiftPassword: Parameter;
  readonly EnablePipeline: Parameter;
  readonly PipelineRole: Parameter;
  readonly PipelineRoleARN: Parameter;
  readonly PipelineResourceRole: Parameter;
  readonly PipelineResourceRoleARN: Parameter;
  readonly RealTimeEngine: Parameter;
  readonly BatchEngine: Parameter;
  readonly EnableBatchSchedule: Parameter;
}

const BUILD = 'Build Info';
const CODE = 'Code Location';
const DEPLOY = 'Deployment Configuration';
const DATA = 'Data Infrastructure';

export function declareParameters(t: Template): ServiceParameters {
  const text = (
    id: string,
    group: string,
    label: string,
    description: string,
    extra: { default?: string; noEcho?: boolean; setBy?: 'config' | 'build' } = {},
  ) => t.parameter(id, { type: 'String', description, label, group, ...extra });

  return {
    CodePipeline: text('CodePipeline', BUILD, 'Pipeline that built this app', 'The CodePipeline pipeline that built and deployed this application', { setBy: 'build' }),
    BuildRegion: text('BuildRegion', BUILD, 'Region of the build', 'The region the application was built in', { setBy: 'build' }),
    SourceVersion: text('SourceVersion', BUILD, 'Source version built', 'The source revision (commit) that was built', { setBy: 'build' }),
    Build: text('Build', BUILD, 'Build id', 'The unique id of the build that produced this deployment', { setBy: 'build' }),
    CodeBucket: text('CodeBucket', CODE, 'Bucket holding job code', 'The S3 bucket the packaged job scripts are stored in', { setBy: 'build' }),
    CodePrefix: text('CodePrefix', CODE, 'Prefix of job code', 'The key prefix in CodeBucket under which the job scripts are stored', { setBy: 'build' }),
    KeyPair: text('KeyPair', 'EC2', 'EC2 key pair', 'The EC2 key pair for instances of the batch pipeline; empty for none', { default: '' }),
    Stage: t.parameter('Stage', {
      type: 'String',
      description: 'The API stage to deploy, such as Staging or Prod; also names the stage in the base URL',
      allowedPattern: '^[A-Za-z0-9_-]{1,128}$',
      constraintDescription: 'a stage name is 1 to 128 letters, digits, hyphens or underscores',
      label: 'Stage to deploy',
      group: DEPLOY,
    }),
    DeploymentPreference: t.parameter('DeploymentPreference', {
      type: 'String',
      description: 'How CodeDeploy shifts traffic to a new version of the API functions',
      default: 'Canary10Percent5Minutes',
      allowedValues: DEPLOYMENT_PREFERENCES,
      label: 'CodeDeploy deployment preference',
      group: DEPLOY,
    }),
    AccessKeyID: text('AccessKeyID', 'Task Runner', 'AWS Access Key ID', 'The access key id the Data Pipeline task runner uses; empty for none', { default: '' }),
    SecretAccessKey: text('SecretAccessKey', 'Task Runner', 'AWS Secret Access Key', 'The secret access key the Data Pipeline task runner uses; empty for none', { default: '', noEcho: true }),
    Subnet: text('Subnet', 'VPC', 'Subnet', 'The subnet the batch resources run in; empty for none', { default: '' }),
    SecurityGroup: text('SecurityGroup', 'VPC', 'Security group', 'The security group that gives access to the batch resources; empty for none', { default: '' }),
    BucketName: text('BucketName', DATA, 'Data lake bucket name', 'The name of the data lake bucket'),
    BucketARN: text('BucketARN', DATA, 'Data lake bucket ARN', 'The ARN of the data lake bucket'),
    EnableEC2Instance: text('EnableEC2Instance', DATA, 'EC2 instance enabled when non-empty', 'Non-empty when the root stack created an EC2 instance for the batch pipeline', { default: '' }),
    EnableEMRCluster: text('EnableEMRCluster', DATA, 'EMR cluster enabled when non-empty', 'Non-empty when the root stack created an EMR cluster for the batch pipeline', { default: '' }),
    RedshiftClusterId: text('RedshiftClusterId', 'Redshift', 'Redshift cluster id', 'The id of the Redshift cluster to load; empty for none', { default: '' }),
    RedshiftDatabase: text('RedshiftDatabase', 'Redshift', 'Redshift database', 'The default database of the Redshift cluster', { default: 'dataless' }),
    RedshiftUsername: text('RedshiftUsername', 'Redshift', 'Redshift username', 'The user the batch pipeline connects to Redshift as', { default: 'dataless' }),
    RedshiftPassword: text('RedshiftPassword', 'Redshift', 'Redshift password', 'The password of the Redshift user; empty leaves Redshift loading off', { default: '', noEcho: true }),
    EnablePipeline: text('EnablePipeline', 'Data Pipeline', 'Daily pipeline enabled when non-empty', 'Non-empty runs the daily batch pipeline; empty removes it, e.g. to re-create it after an incompatible change', { default: 'yes' }),
    PipelineRole: text('PipelineRole', 'Data Pipeline', 'Pipeline role name', 'The name of the role the batch pipeline runs as'),
    PipelineRoleARN: text('PipelineRoleARN', 'Data Pipeline', 'Pipeline role ARN', 'The ARN of the role the batch pipeline runs as'),
    PipelineResourceRole: text('PipelineResourceRole', 'Data Pipeline', 'Pipeline resource role name', 'The name of the role the batch pipeline\'s compute resources run as'),
    PipelineResourceRoleARN: text('PipelineResourceRoleARN', 'Data Pipeline', 'Pipeline resource role ARN', 'The ARN of the role the batch pipeline\'s compute resources run as'),
    RealTimeEngine: declareRealTimeEngine(t, 'Engines'),
    BatchEngine: declareBatchEngine(t, 'Engines'),
    EnableBatchSchedule: declareEnableBatchSchedule(t, 'Engines'),
  };
}

// The advertising service's parameters. The root stack passes every one of
// them; most only travel on to the nested lake, batch and real-time stacks.
import type { Template } from '../../../cfn/template';
import { declareShared } from '../../shared/parameters';

const NAMES = [
  'CodePipeline',
  'BuildRegion',
  'SourceVersion',
  'Build',
  'CodeBucket',
  'CodePrefix',
  'KeyPair',
  'Stage',
  'DeploymentPreference',
  'TrafficAuthorization',
  'TaskRunnerCredentialsARN',
  'Subnet',
  'SecurityGroup',
  'BucketName',
  'BucketARN',
  'EnableEC2Instance',
  'EnableEMRCluster',
  'RedshiftClusterId',
  'RedshiftDatabase',
  'RedshiftUsername',
  'RedshiftPassword',
  'EnablePipeline',
  'RedshiftSpectrumRoleARN',
  'PipelineRole',
  'PipelineRoleARN',
  'PipelineResourceRole',
  'PipelineResourceRoleARN',
  'RealTimeEngine',
  'BatchEngine',
  'EnableBatchSchedule',
  'AdTrafficBillingMode',
  'AlarmTopicArn',
  'PermissionsBoundaryArn',
] as const;

/** Handles of every service parameter, by logical id. */
export type ServiceParameters = ReturnType<typeof declareParameters>;

export function declareParameters(t: Template) {
  // The root always passes the stage: no default here, so a stage left out is an error rather than a quiet Prod.
  return declareShared(t, NAMES, { Stage: { default: undefined } });
}

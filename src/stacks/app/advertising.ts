// The advertising service, a nested SAM application: capture API, data lake,
// batch pipeline and real-time analytics. The root hands it the build facts,
// the bucket, the batch engine's roles and whichever batch components exist.
import { AWS, fnIf } from '../../cfn/intrinsics';
import type { NestedParameterValue, NestedStack } from '../../cfn/stack';
import type { Resource, Template } from '../../cfn/template';
import { SERVICE_STACK } from '..';
import type { ServiceOutput } from '../advertising/service';
import type { AppConditions } from './conditions';
import type { Network } from './network';
import type { AppParameters } from './parameters';
import type { LegacyBatch } from './legacy';

export interface AdvertisingInputs {
  readonly parameters: AppParameters;
  readonly conditions: AppConditions;
  readonly bucket: Resource<'AWS::S3::Bucket'>;
  /** The legacy engine's roles (LegacyBatch) and the Task Runner's keys, which exist only where task runners run. */
  readonly legacy: LegacyBatch;
  /** The role the cluster reads the lake as under the default engine (StepFunctionsRedshift). */
  readonly spectrumRole: Resource<'AWS::IAM::Role'>;
  readonly network: Network;
  readonly redshift: Resource<'AWS::Redshift::Cluster'>;
  /** The topic the service's alarms notify. */
  readonly alarmTopic: Resource<'AWS::SNS::Topic'>;
}

export function declareAdvertisingService(t: Template, inputs: AdvertisingInputs): NestedStack<ServiceOutput> {
  const { parameters: p, conditions: c, bucket, legacy, spectrumRole, network, redshift, alarmTopic } = inputs;
  const { roles, taskRunnerSecret } = legacy;
  const legacyOnly = (value: NestedParameterValue) => fnIf(c.LegacyBatch, value, AWS.NoValue);
  return SERVICE_STACK.nest(t, 'AdvertisingService', {
    CodePipeline: p.CodePipeline,
    BuildRegion: p.BuildRegion,
    SourceVersion: p.SourceVersion,
    Build: p.Build,
    CodeBucket: p.CodeBucket,
    // Job scripts sit at repository paths (jobs/..., scripts/...) under the same prefix.
    CodePrefix: p.CodePrefix,
    KeyPair: p.KeyPair,
    Stage: p.Stage,
    DeploymentPreference: p.DeploymentPreference,
    TrafficAuthorization: p.TrafficAuthorization,
    PermissionsBoundaryArn: p.PermissionsBoundaryArn,
    BucketName: bucket,
    BucketARN: bucket.getAtt('Arn'),
    // Without the VPC these stay unset, and the service launches its resources outside any VPC of ours.
    Subnet: fnIf(c.VPCEnabled, network.Subnet, AWS.NoValue),
    SecurityGroup: fnIf(c.VPCEnabled, network.SecurityGroup, AWS.NoValue),
    // The secret's ARN (Ref), never the keys: the nested stacks only need to know whether task runners run.
    TaskRunnerCredentialsARN: fnIf(c.TaskRunnersRun, taskRunnerSecret, AWS.NoValue),
    EnableEC2Instance: p.EnableEC2Instance,
    EnableEMRCluster: p.EnableEMRCluster,
    RedshiftClusterId: fnIf(c.RedshiftEnabled, redshift, AWS.NoValue),
    RedshiftDatabase: p.RedshiftDatabase,
    RedshiftUsername: p.RedshiftUsername,
    // Only Data Pipeline takes the password; under the default engine it stays in the root stack (and is not needed).
    RedshiftPassword: fnIf(c.LegacyBatch, p.RedshiftPassword, AWS.NoValue),
    EnablePipeline: p.EnablePipeline,
    RedshiftSpectrumRoleARN: fnIf(c.StepFunctionsRedshift, spectrumRole.getAtt('Arn'), AWS.NoValue),
    // The Data Pipeline roles exist only under that engine.
    PipelineRole: legacyOnly(roles.PipelineRole),
    PipelineRoleARN: legacyOnly(roles.PipelineRole.getAtt('Arn')),
    PipelineResourceRole: legacyOnly(roles.PipelineResourceRole),
    PipelineResourceRoleARN: legacyOnly(roles.PipelineResourceRole.getAtt('Arn')),
    RealTimeEngine: p.RealTimeEngine,
    BatchEngine: p.BatchEngine,
    EnableBatchSchedule: p.EnableBatchSchedule,
    AdTrafficBillingMode: p.AdTrafficBillingMode,
    // Ref of a topic is its ARN.
    AlarmTopicArn: alarmTopic,
  });
}

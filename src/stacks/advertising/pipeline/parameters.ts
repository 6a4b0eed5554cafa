// What the batch stack receives from the service stack, and the switches
// derived from it. An empty string means "not set" throughout, as in the
// original: the root leaves a value empty when the matching piece of
// infrastructure (EC2 task runner, EMR cluster, Redshift) is not deployed.
import { and, equals, not, notEmpty, or } from '../../../cfn/intrinsics';
import type { Condition, Parameter, Template } from '../../../cfn/template';
import { BATCH_ENGINE, declareStepFunctionsBatch } from '../../shared/batch-engine';
import { declareShared } from '../../shared/parameters';
import { LAKE_OUTPUTS, type LakeOutput } from '../lake';

/** The service's parameters that the batch stack declares too; the service passes each on unchanged. */
export const PIPELINE_PARAMETERS = [
  'CodeBucket',
  'CodePrefix',
  'BucketName',
  'KeyPair',
  'Subnet',
  'SecurityGroup',
  'TaskRunnerCredentialsARN',
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
  'BatchEngine',
  'EnableBatchSchedule',
  'AdTrafficBillingMode',
  'AlarmTopicArn',
  'PermissionsBoundaryArn',
] as const;

/** The parameters of the batch stack, by logical id: the shared ones and the lake's outputs of the same names. */
export type PipelineParameters = Readonly<Record<(typeof PIPELINE_PARAMETERS)[number] | LakeOutput, Parameter>>;

/** What each lake output is to the batch stack, which receives it as the parameter of the same name. */
const LAKE_INPUT_DESCRIPTIONS: Readonly<Record<LakeOutput, string>> = {
  Database:
    'Glue database of the data lake: every job reads and writes its tables, and the advertising table joins it.',
  RawCrawler: 'Name of the crawler that catalogues the raw data; each run starts it and waits for it first.',
  ImpressionsETLJob:
    'Name of the Glue job that converts the raw impressions into the lake; each run runs it after the crawler.',
  ClicksETLJob: 'Name of the Glue job that converts the raw clicks into the lake; each run runs it after the crawler.',
};

/** The conditions of the batch stack, named as in the original. */
export interface PipelineConditions {
  /** Both a subnet and a security group were given: the pipeline's own EC2 resource runs in them. */
  readonly vpcEnabled: Condition;
  /** The root runs an EC2 instance with a task runner polling the instance worker group. */
  readonly ec2InstanceEnabled: Condition;
  /** The root runs an EMR cluster with a task runner polling the EMR worker group. */
  readonly emrEnabled: Condition;
  /** A Redshift cluster, its database and user were given, and its password under the legacy engine. */
  readonly redshiftEnabled: Condition;
  /** The pipeline needs no EC2 resource of its own: nothing runs on one, or the root's instance does the work. */
  readonly disablePipelineInstance: Condition;
  readonly keyPairGiven: Condition;
  /**
   * The pipeline exists: the legacy engine is selected and EnablePipeline is
   * set (clearing it deletes the pipeline, so that an incompatible change can
   * re-create it).
   */
  readonly pipelineEnabled: Condition;
  /** BatchEngine is the original's Data Pipeline: its pipeline and instance profiles exist. */
  readonly legacyBatch: Condition;
  /** BatchEngine is Step Functions (the default): the state machine, its schedule and EMR Serverless exist. */
  readonly stepFunctionsBatch: Condition;
  /** Step Functions runs the batch and Redshift is given: the Redshift staging tables exist. */
  readonly stepFunctionsRedshift: Condition;
  /** EnableBatchSchedule is set: the daily schedule of the state machine is enabled. */
  readonly batchScheduleEnabled: Condition;
  /** AdTrafficBillingMode is PROVISIONED: the ad traffic table has capacity, which the batch raises around its load. */
  readonly provisionedAdTraffic: Condition;
}

export function declareParameters(t: Template): { params: PipelineParameters; conditions: PipelineConditions } {
  const p = declareShared(t, PIPELINE_PARAMETERS);
  const lake = {} as Record<LakeOutput, Parameter>;
  for (const name of LAKE_OUTPUTS)
    lake[name] = t.parameter(name, { type: 'String', description: LAKE_INPUT_DESCRIPTIONS[name] });

  // The root hands down its credentials secret only where a task runner runs.
  const taskRunnersRun = notEmpty(p.TaskRunnerCredentialsARN);
  const vpcEnabled = t.condition('VPCEnabled', and(notEmpty(p.Subnet), notEmpty(p.SecurityGroup)));
  const ec2InstanceEnabled = t.condition('EC2InstanceEnabled', and(notEmpty(p.EnableEC2Instance), taskRunnersRun));
  const emrEnabled = t.condition('EMREnabled', and(notEmpty(p.EnableEMRCluster), taskRunnersRun));
  const legacyBatch = BATCH_ENGINE.declareLegacy(t, p.BatchEngine);
  // Only Data Pipeline takes the password; the default engine's Data API calls sign in with temporary credentials.
  const redshiftEnabled = t.condition(
    'RedshiftEnabled',
    and(
      notEmpty(p.RedshiftClusterId),
      notEmpty(p.RedshiftDatabase),
      notEmpty(p.RedshiftUsername),
      or(not(legacyBatch), notEmpty(p.RedshiftPassword)),
    ),
  );
  const stepFunctionsBatch = declareStepFunctionsBatch(t, legacyBatch);
  const conditions: PipelineConditions = {
    vpcEnabled,
    ec2InstanceEnabled,
    emrEnabled,
    redshiftEnabled,
    disablePipelineInstance: t.condition('DisablePipelineInstance', or(not(redshiftEnabled), ec2InstanceEnabled)),
    keyPairGiven: t.condition('KeyPairGiven', notEmpty(p.KeyPair)),
    pipelineEnabled: t.condition('PipelineEnabled', and(notEmpty(p.EnablePipeline), legacyBatch)),
    legacyBatch,
    stepFunctionsBatch,
    stepFunctionsRedshift: t.condition('StepFunctionsRedshift', and(stepFunctionsBatch, redshiftEnabled)),
    batchScheduleEnabled: t.condition('BatchScheduleEnabled', notEmpty(p.EnableBatchSchedule)),
    provisionedAdTraffic: t.condition('ProvisionedAdTraffic', equals(p.AdTrafficBillingMode, 'PROVISIONED')),
  };

  return {
    params: { ...p, ...lake },
    conditions,
  };
}

// What the batch stack receives from the service stack, and the switches
// derived from it. An empty string means "not set" throughout, as in the
// original: the root leaves a value empty when the matching piece of
// infrastructure (EC2 task runner, EMR cluster, Redshift) is not deployed.
import { and, not, notEmpty, or } from '../../../cfn/intrinsics';
import type { Condition, Parameter, Template } from '../../../cfn/template';
import {
  declareBatchEngine,
  declareEnableBatchSchedule,
  declareLegacyBatch,
  declareStepFunctionsBatch,
} from '../../shared/batch-engine';

/** The parameters of the batch stack. */
export interface PipelineParameters {
  readonly codeBucket: Parameter;
  readonly codePrefix: Parameter;
  readonly bucketName: Parameter;
  readonly database: Parameter;
  readonly keyPair: Parameter;
  readonly subnet: Parameter;
  readonly securityGroup: Parameter;
  readonly redshiftClusterId: Parameter;
  readonly redshiftDatabase: Parameter;
  readonly redshiftUsername: Parameter;
  readonly redshiftPassword: Parameter;
  readonly pipelineRole: Parameter;
  readonly pipelineRoleArn: Parameter;
  readonly pipelineResourceRole: Parameter;
}

/** The conditions of the batch stack, named as in the original. */
export interface PipelineConditions {
  /** Both a subnet and a security group were given: the pipeline's own EC2 resource runs in them. */
  readonly vpcEnabled: Condition;
  /** The root runs an EC2 instance with a task runner polling the instance worker group. */
  readonly ec2InstanceEnabled: Condition;
  /** The root runs an EMR cluster with a task runner polling the EMR worker group. */
  readonly emrEnabled: Condition;
  /** A Redshift cluster and its credentials were given. */
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
}

export function declareParameters(t: Template): { params: PipelineParameters; conditions: PipelineConditions } {
  const codeBucket = t.parameter('CodeBucket', { type: 'String', description: 'Bucket holding the packaged job scripts.' });
  const codePrefix = t.parameter('CodePrefix', {
    type: 'String',
    description: 'Key prefix of the packaged job scripts in CodeBucket (without a trailing slash).',
  });
  const bucketName = t.parameter('BucketName', {
    type: 'String',
    description: 'Name of the data lake bucket: staging data and pipeline logs go there.',
  });
  const database = t.parameter('Database', {
    type: 'String',
    description: 'Glue database of the data lake, which the advertising table joins.',
  });
  const keyPair = t.parameter('KeyPair', {
    type: 'String',
    description: 'EC2 key pair for SSH into the pipeline EC2 resource and EMR cluster; empty for none.',
    default: '',
  });
  const subnet = t.parameter('Subnet', {
    type: 'String',
    description: 'Subnet for the pipeline EC2 resource; empty to use the default VPC.',
    default: '',
  });
  const securityGroup = t.parameter('SecurityGroup', {
    type: 'String',
    description: 'Security group for the pipeline EC2 resource; empty to use the default VPC.',
    default: '',
  });
  const accessKeyId = t.parameter('AccessKeyID', {
    type: 'String',
    description: 'Access key id of the task runners on the root stack EC2 instance and EMR cluster; empty when none run.',
    default: '',
  });
  const secretAccessKey = t.parameter('SecretAccessKey', {
    type: 'String',
    description: 'Secret access key matching AccessKeyID; empty when no task runner runs.',
    default: '',
    noEcho: true,
  });
  const enableEc2Instance = t.parameter('EnableEC2Instance', {
    type: 'String',
    description: 'Non-empty when the root stack runs an EC2 instance with a task runner for Redshift work.',
    default: '',
  });
  const enableEmrCluster = t.parameter('EnableEMRCluster', {
    type: 'String',
    description: 'Non-empty when the root stack runs an EMR cluster with a task runner for Hive work.',
    default: '',
  });
  const redshiftClusterId = t.parameter('RedshiftClusterId', {
    type: 'String',
    description: 'Identifier of the Redshift cluster to load; empty to skip every Redshift step.',
    default: '',
  });
  const redshiftDatabase = t.parameter('RedshiftDatabase', {
    type: 'String',
    description: 'Database in the Redshift cluster to load into.',
    default: 'dataless',
  });
  const redshiftUsername = t.parameter('RedshiftUsername', {
    type: 'String',
    description: 'Redshift user the pipeline connects as.',
    default: 'dataless',
  });
  // No default password: an empty value switches the Redshift steps off instead.
  const redshiftPassword = t.parameter('RedshiftPassword', {
    type: 'String',
    description: 'Password of the Redshift user; empty to skip every Redshift step.',
    default: '',
    noEcho: true,
  });
  const enablePipeline = t.parameter('EnablePipeline', {
    type: 'String',
    description:
      'Non-empty to create the daily Data Pipeline (BatchEngine data-pipeline); clear it to delete the pipeline before an incompatible change.',
    default: 'yes',
  });
  const pipelineRole = t.parameter('PipelineRole', {
    type: 'String',
    description: 'Name of the role Data Pipeline assumes.',
  });
  const pipelineRoleArn = t.parameter('PipelineRoleARN', {
    type: 'String',
    description:
      'ARN of the role Data Pipeline assumes. It is attached to the Redshift cluster: Spectrum reads the lake catalog, and COPY the staging area, through it.',
  });
  const pipelineResourceRole = t.parameter('PipelineResourceRole', {
    type: 'String',
    description: 'Name of the role the EC2 resource and EMR cluster of the pipeline run as.',
  });

  const batchEngine = declareBatchEngine(t, 'Engines');
  const enableBatchSchedule = declareEnableBatchSchedule(t, 'Engines');

  const taskRunnerCredentials = [notEmpty(accessKeyId), notEmpty(secretAccessKey)];
  const vpcEnabled = t.condition('VPCEnabled', and(notEmpty(subnet), notEmpty(securityGroup)));
  const ec2InstanceEnabled = t.condition('EC2InstanceEnabled', and(notEmpty(enableEc2Instance), ...taskRunnerCredentials));
  const emrEnabled = t.condition('EMREnabled', and(notEmpty(enableEmrCluster), ...taskRunnerCredentials));
  const redshiftEnabled = t.condition(
    'RedshiftEnabled',
    and(notEmpty(redshiftClusterId), notEmpty(redshiftDatabase), notEmpty(redshiftUsername), notEmpty(redshiftPassword)),
  );
  const legacyBatch = declareLegacyBatch(t, batchEngine);
  const stepFunctionsBatch = declareStepFunctionsBatch(t, legacyBatch);
  const conditions: PipelineConditions = {
    vpcEnabled,
    ec2InstanceEnabled,
    emrEnabled,
    redshiftEnabled,
    disablePipelineInstance: t.condition('DisablePipelineInstance', or(not(redshiftEnabled), ec2InstanceEnabled)),
    keyPairGiven: t.condition('KeyPairGiven', notEmpty(keyPair)),
    pipelineEnabled: t.condition('PipelineEnabled', and(notEmpty(enablePipeline), legacyBatch)),
    legacyBatch,
    stepFunctionsBatch,
    stepFunctionsRedshift: t.condition('StepFunctionsRedshift', and(stepFunctionsBatch, redshiftEnabled)),
    batchScheduleEnabled: t.condition('BatchScheduleEnabled', notEmpty(enableBatchSchedule)),
  };

  return {
    params: {
      codeBucket,
      codePrefix,
      bucketName,
      database,
      keyPair,
      subnet,
      securityGroup,
      redshiftClusterId,
      redshiftDatabase,
      redshiftUsername,
      redshiftPassword,
      pipelineRole,
      pipelineRoleArn,
      pipelineResourceRole,
    },
    conditions,
  };
}

// The root stack's parts of the legacy batch engine, BatchEngine
// data-pipeline: the two roles Data Pipeline runs as (pipeline-roles.ts), and
// the long-running Task Runners that its activities can use instead of
// launching compute per run: their credentials (task-runner-secret.ts), the
// EC2 instance (task-runner.ts) and the EMR cluster (emr.ts, its encryption in
// emr-encryption.ts). Each exists only
// under that engine. The root stack reaches them through this file alone.
import type { Resource, Template } from '../../../cfn/template';
import type { AppConditions } from '../conditions';
import type { Network } from '../network';
import type { AlarmTopic } from '../notifications';
import type { AppParameters } from '../parameters';
import { declareEmr } from './emr';
import { declarePipelineRoles, type PipelineRoles } from './pipeline-roles';
import { declareTaskRunner } from './task-runner';
import { declareTaskRunnerSecret } from './task-runner-secret';

/** What the legacy engine is wired to in the root stack. */
export interface LegacyBatchInputs {
  readonly parameters: AppParameters;
  readonly conditions: AppConditions;
  /** Where the Task Runners run. */
  readonly network: Network;
  /** The data bucket: the roles read it, it names the worker groups and holds their logs. */
  readonly bucket: Resource<'AWS::S3::Bucket'>;
  /** The topic Data Pipeline's failure alarm publishes to. */
  readonly alarms: AlarmTopic;
}

/** What the rest of the root stack passes on: the roles (to the cluster and the nested batch) and the Task Runner's keys. */
export interface LegacyBatch {
  readonly roles: PipelineRoles;
  readonly taskRunnerSecret: Resource<'AWS::SecretsManager::Secret'>;
}

/** Declares the legacy engine's roles, the Task Runners' credentials, instance and EMR cluster, each under its condition. */
export function declareLegacyBatch(t: Template, inputs: LegacyBatchInputs): LegacyBatch {
  const { parameters, conditions, network, bucket, alarms } = inputs;
  const roles = declarePipelineRoles(t, bucket, alarms, conditions.LegacyBatch);
  const taskRunnerSecret = declareTaskRunnerSecret(t, parameters, conditions);
  declareTaskRunner(t, parameters, conditions, network, bucket, taskRunnerSecret);
  declareEmr(t, parameters, conditions, network, bucket, taskRunnerSecret, [
    roles.PipelineRole,
    roles.PipelineResourceRole,
  ]);
  return { roles, taskRunnerSecret };
}

export type { PipelineRoles };

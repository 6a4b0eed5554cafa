// The root stack's parts of the legacy batch engine, BatchEngine
// data-pipeline: the two roles Data Pipeline runs as (pipeline-roles.ts), and
// the long-running Task Runners that its activities can use instead of
// launching compute per run: their credentials (task-runner-secret.ts), the
// EC2 instance (task-runner.ts) and the EMR cluster (emr.ts). The root stack
// reaches them through this file alone.
import type { Resource, Template } from '../../../cfn/template';
import type { AppConditions } from '../conditions';
import type { Network } from '../network';
import type { AppParameters } from '../parameters';
import { declareEmr } from './emr';
import { declareTaskRunner } from './task-runner';
import { declareTaskRunnerSecret } from './task-runner-secret';

export { declarePipelineRoles, type PipelineRoles } from './pipeline-roles';

/** What the Task Runners are wired to in the root stack. */
export interface TaskRunnerInputs {
  readonly parameters: AppParameters;
  readonly conditions: AppConditions;
  /** Where they run. */
  readonly network: Network;
  /** The data bucket, which names their worker groups and holds their logs. */
  readonly bucket: Resource<'AWS::S3::Bucket'>;
}

/** Declares the Task Runners' credentials, instance and EMR cluster, each under its condition; returns the credentials' secret. */
export function declareTaskRunners(t: Template, inputs: TaskRunnerInputs): Resource<'AWS::SecretsManager::Secret'> {
  const { parameters, conditions, network, bucket } = inputs;
  const secret = declareTaskRunnerSecret(t, parameters, conditions);
  declareTaskRunner(t, parameters, conditions, network, bucket, secret);
  declareEmr(t, parameters, conditions, network, bucket, secret);
  return secret;
}

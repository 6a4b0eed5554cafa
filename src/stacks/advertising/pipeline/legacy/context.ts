// What every group of pipeline objects draws on: the stack's parameters and
// conditions, where job scripts live, the run's date expressions, and where
// an activity runs.
import type { CodeAssets } from '../../../../cfn/assets';
import { sub, type Intrinsic } from '../../../../cfn/intrinsics';
import { workerGroup } from '../../../shared/legacy/task-runner';
import { onlyIf, onlyUnless, type ConditionalField, type PipelineObject, type Scalar } from './builder';
import { HIVE_DATABASE_VARIABLE, HIVE_RUN_VARIABLES, type RunField } from '../jobs';
import type { PipelineConditions, PipelineParameters } from '../parameters';
import type { PipelineTables } from '../tables';

/** What the object declarations draw on. */
export interface ObjectContext {
  readonly params: PipelineParameters;
  readonly conditions: PipelineConditions;
  readonly tables: PipelineTables;
  /** Where the packaged job scripts are; each script an activity runs is declared there. */
  readonly code: CodeAssets;
}

/** Data Pipeline expressions for the run being executed. */
export const RUN: Readonly<Record<RunField, string>> = {
  year: '#{year(@scheduledStartTime)}',
  month: '#{month(@scheduledStartTime)}',
  day: '#{day(@scheduledStartTime)}',
  dateStart: "#{format(@scheduledStartTime, 'YYYY-MM-dd')}",
  dateEnd: "#{format(@scheduledEndTime, 'YYYY-MM-dd')}",
};

/** The variables every Hive job reads, as `scriptVariable` values: the lake's database, then the run's fields. */
export function hiveVariables(ctx: ObjectContext): Scalar[] {
  return [
    sub`${HIVE_DATABASE_VARIABLE}=${ctx.params.Database}`,
    ...Object.entries(HIVE_RUN_VARIABLES).map(([name, field]) => `${name}=${RUN[field]}`),
  ];
}

/** Where `dataless package` puts a file of this repository's jobs/ folder. */
export function jobScript(ctx: ObjectContext, path: string): Intrinsic {
  return ctx.code.url(`jobs/${path}`);
}

// The worker groups are named after the data bucket (shared/legacy/task-runner.ts):
// the original named them after its own stack, which a nested stack does not
// share with the root, so its task runners never met their work.

/** Where an activity runs: a task runner's worker group where one runs, else a resource of the pipeline. */
export interface RunnerFields {
  readonly workerGroup: ConditionalField<Scalar>;
  readonly runsOn: ConditionalField<PipelineObject>;
}

/** Fields that send a Hive activity to the root's EMR task runner, or else to the pipeline's own cluster. */
export function onEmr(ctx: ObjectContext, cluster: PipelineObject): RunnerFields {
  return {
    workerGroup: onlyIf(ctx.conditions.emrEnabled, workerGroup(ctx.params.BucketName, 'emr')),
    runsOn: onlyUnless(ctx.conditions.emrEnabled, cluster),
  };
}

/** Fields that send a Redshift activity to the root's EC2 task runner, or else to the pipeline's own instance. */
export function onInstance(ctx: ObjectContext, instance: PipelineObject): RunnerFields {
  return {
    workerGroup: onlyIf(ctx.conditions.ec2InstanceEnabled, workerGroup(ctx.params.BucketName, 'instance')),
    runsOn: onlyUnless(ctx.conditions.ec2InstanceEnabled, instance),
  };
}

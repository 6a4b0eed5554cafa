// The BatchEngine switch: what runs the daily batch (the advertising extract,
// the ad traffic load and the optional Redshift loads). The root declares it,
// the service passes it on to the batch stack, and each template that acts on
// it declares the same parameter and the same condition.
import { equals, not } from '../../cfn/intrinsics';
import type { Condition, Parameter, Template } from '../../cfn/template';

/** Step Functions runs the jobs on EMR Serverless, the Redshift Data API and DynamoDB's own API. */
export const STEP_FUNCTIONS_ENGINE = 'step-functions';
/** The original's AWS Data Pipeline (closed to new customers since 2024-07-25). */
export const DATA_PIPELINE_ENGINE = 'data-pipeline';

export const BATCH_ENGINES = [STEP_FUNCTIONS_ENGINE, DATA_PIPELINE_ENGINE] as const;
export type BatchEngine = (typeof BATCH_ENGINES)[number];

/** The parameter's logical id, the same at every level. */
export const BATCH_ENGINE_PARAMETER = 'BatchEngine';
/** The condition that holds under the legacy engine, the same in every template that declares it. */
export const LEGACY_BATCH_CONDITION = 'LegacyBatch';
/** The condition that holds under the default engine (the batch stack declares it). */
export const STEP_FUNCTIONS_BATCH_CONDITION = 'StepFunctionsBatch';

/** The parameter that switches the daily schedule of the default engine on. */
export const ENABLE_BATCH_SCHEDULE_PARAMETER = 'EnableBatchSchedule';

const DESCRIPTION =
  `What runs the daily batch (advertising extract, ad traffic load, optional Redshift loads). ` +
  `${STEP_FUNCTIONS_ENGINE} (the default): a Step Functions state machine on a daily schedule runs the Hive jobs on ` +
  `EMR Serverless, the SQL jobs through the Redshift Data API and the capacity changes through DynamoDB's API; ` +
  `the task-runner instance and the EMR cluster are not created. ` +
  `${DATA_PIPELINE_ENGINE}: the original's AWS Data Pipeline with its task runners, for accounts that still have ` +
  `Data Pipeline; AWS closed it to new customers on 2024-07-25.`;

/** Declares the BatchEngine parameter in `group`. */
export function declareBatchEngine(t: Template, group: string): Parameter {
  return t.parameter(BATCH_ENGINE_PARAMETER, {
    type: 'String',
    default: STEP_FUNCTIONS_ENGINE,
    allowedValues: BATCH_ENGINES,
    description: DESCRIPTION,
    label: 'Batch engine',
    group,
  });
}

/** Declares the EnableBatchSchedule parameter in `group`. */
export function declareEnableBatchSchedule(t: Template, group: string): Parameter {
  return t.parameter(ENABLE_BATCH_SCHEDULE_PARAMETER, {
    type: 'String',
    default: '',
    description:
      `Non-empty starts the daily batch every day at 01:30 UTC (BatchEngine ${STEP_FUNCTIONS_ENGINE} only). ` +
      'Empty (the default) creates the schedule disabled, as the original created its pipeline inactive: start runs by hand until the data is there.',
    label: 'Run the batch daily',
    group,
  });
}

/** Declares the LegacyBatch condition: the engine is the original's Data Pipeline. */
export function declareLegacyBatch(t: Template, engine: Parameter): Condition {
  return t.condition(LEGACY_BATCH_CONDITION, equals(engine, DATA_PIPELINE_ENGINE));
}

/** Declares the StepFunctionsBatch condition: the engine is the default, Step Functions. */
export function declareStepFunctionsBatch(t: Template, legacy: Condition): Condition {
  return t.condition(STEP_FUNCTIONS_BATCH_CONDITION, not(legacy));
}

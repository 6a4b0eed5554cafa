// The BatchEngine switch: what runs the daily batch (the advertising extract,
// the ad traffic load and the optional Redshift loads), and the schedule
// switch of the default engine.
import { not } from '../../cfn/intrinsics';
import type { Condition, ParameterDefinition, Template } from '../../cfn/template';
import { engineSwitch } from './engine-switch';

/** Step Functions runs the jobs on EMR Serverless, the Redshift Data API and DynamoDB's own API. */
const STEP_FUNCTIONS_ENGINE = 'step-functions';
/** The original's AWS Data Pipeline (closed to new customers since 2024-07-25). */
const DATA_PIPELINE_ENGINE = 'data-pipeline';

export const BATCH_ENGINE = engineSwitch({
  standard: STEP_FUNCTIONS_ENGINE,
  legacy: DATA_PIPELINE_ENGINE,
  legacyCondition: 'LegacyBatch',
  description:
    `What runs the daily batch (advertising extract, ad traffic load, optional Redshift loads). ` +
    `${STEP_FUNCTIONS_ENGINE} (the default): a Step Functions state machine on a daily schedule runs the lake's raw crawler and Glue ETL jobs, then the Hive jobs on ` +
    `EMR Serverless, the SQL jobs through the Redshift Data API and the capacity changes through DynamoDB's API; ` +
    `the task-runner instance and the EMR cluster are not created. ` +
    `${DATA_PIPELINE_ENGINE}: the original's AWS Data Pipeline with its task runners, for accounts that still have ` +
    `Data Pipeline; AWS closed it to new customers on 2024-07-25.`,
});

/** EnableBatchSchedule: switches the daily schedule of the default engine on. */
export const ENABLE_BATCH_SCHEDULE: ParameterDefinition = {
  type: 'String',
  default: '',
  description:
    `Non-empty starts the daily batch every day at 01:30 UTC (BatchEngine ${STEP_FUNCTIONS_ENGINE} only). ` +
    'Empty (the default) creates the schedule disabled, as the original created its pipeline inactive: start runs by hand until the data is there.',
};

/** Declares the StepFunctionsBatch condition: the engine is the default, Step Functions. */
export function declareStepFunctionsBatch(t: Template, legacy: Condition): Condition {
  return t.condition('StepFunctionsBatch', not(legacy));
}

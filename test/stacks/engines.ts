// The batch stack's resources per engine, as the engine tests expect them: one list, read by each test that
// checks which resources an engine creates.

/** What the batch stack creates under the default engine (condition StepFunctionsBatch). */
export const STEP_FUNCTIONS_RESOURCES = [
  'HiveApplication',
  'HiveJobRole',
  'AdTrafficHiveTable',
  'BatchStateMachineLogs',
  'BatchStateMachineRole',
  'BatchStateMachine',
  'BatchScheduleRole',
  'BatchSchedule',
];
/** What it creates under the default engine only with a Redshift cluster (condition StepFunctionsRedshift). */
export const STEP_FUNCTIONS_REDSHIFT = [
  'RedshiftImpressionsStagingHiveTable',
  'RedshiftClicksStagingHiveTable',
  'RedshiftAdvertisingStagingHiveTable',
  'BatchRedshiftPolicy',
];

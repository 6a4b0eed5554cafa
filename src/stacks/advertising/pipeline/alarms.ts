// The daily batch's alarms (default engine): a run that ended badly, and no
// run that ended well for longer than a day and a bit while the schedule is
// on. docs/operations.md explains the thresholds and what to do.
import { and } from '../../../cfn/intrinsics';
import type { Resource, Template } from '../../../cfn/template';
import { declareAlarm } from '../../shared/alarms';
import type { PipelineConditions, PipelineParameters } from './parameters';

/** The Step Functions metrics of a run that ended without success, by the id the alarm's expression names them with. */
export const UNSUCCESSFUL_RUN_METRICS = {
  failed: 'ExecutionsFailed',
  timedOut: 'ExecutionsTimedOut',
  aborted: 'ExecutionsAborted',
} as const;

/** How often the unsuccessful-run alarm looks: a run's end is seen within five minutes. */
export const RUN_ENDED_PERIOD_SECONDS = 300;

/**
 * How long without a successful run before the overdue alarm fires: the
 * schedule starts a run every 24 hours, and 2 more hours leave room for a slow
 * run (the state machine itself gives up after 6).
 */
export const OVERDUE_AFTER_HOURS = 26;

const HOUR = 3600;

export function declareBatchAlarms(
  t: Template,
  params: PipelineParameters,
  conditions: PipelineConditions,
  stateMachine: Resource<'AWS::StepFunctions::StateMachine'>,
): void {
  const topic = params.AlarmTopicArn;
  const dimensions = [{ Name: 'StateMachineArn', Value: stateMachine }];

  declareAlarm(
    t,
    'BatchRunFailedAlarm',
    topic,
    {
      AlarmDescription: 'A run of the daily batch failed, timed out or was aborted; see docs/operations.md',
      Metrics: [
        ...Object.entries(UNSUCCESSFUL_RUN_METRICS).map(([id, metric]) => ({
          Id: id,
          MetricStat: {
            Metric: { Namespace: 'AWS/States', MetricName: metric, Dimensions: dimensions },
            Period: RUN_ENDED_PERIOD_SECONDS,
            Stat: 'Sum',
          },
          ReturnData: false,
        })),
        {
          Id: 'unsuccessful',
          Label: 'Runs that failed, timed out or were aborted',
          // A metric without a datapoint counts as none, so that any one of the three suffices.
          Expression: Object.keys(UNSUCCESSFUL_RUN_METRICS)
            .map((id) => `FILL(${id}, 0)`)
            .join(' + '),
          ReturnData: true,
        },
      ],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      // A failed run stays failed: the alarm's return to OK five minutes later is no news. A later success is (status shows it).
      recoveryIsNews: false,
    },
    { condition: conditions.stepFunctionsBatch },
  );

  // Only a schedule makes a missing run news: without one, runs are started by hand.
  const scheduled = t.condition('ScheduledBatch', and(conditions.stepFunctionsBatch, conditions.batchScheduleEnabled));
  declareAlarm(
    t,
    'BatchOverdueAlarm',
    topic,
    {
      AlarmDescription: `No run of the daily batch succeeded in the last ${OVERDUE_AFTER_HOURS} hours; see docs/operations.md`,
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsSucceeded',
      Dimensions: dimensions,
      Statistic: 'Sum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      // Hourly sums over the window: it alarms when none of them saw a success.
      Period: HOUR,
      EvaluationPeriods: OVERDUE_AFTER_HOURS,
      DatapointsToAlarm: OVERDUE_AFTER_HOURS,
      // An hour without runs has no datapoint: it counts as an hour without success.
      TreatMissingData: 'breaching',
      recoveryIsNews: true,
    },
    { condition: scheduled },
  );
}

// The Lambda function that turns metric rows into CloudWatch metrics, with
// a role that can publish to the advertising namespace and write its own
// log group, nothing more, and an alarm on its errors. It serves the Kinesis
// Analytics applications alone, so it exists where they do.
import type { Value } from '../../../../cfn/intrinsics';
import type { Condition, Resource, Template } from '../../../../cfn/template';
import { declareAlarm } from '../../../shared/alarms';
import { inlinePolicy, serviceTrust } from '../../../shared/iam';
import { LAMBDA_RUNTIME, lambdaBundle } from '../../../shared/lambda';
import { LOG_GROUP_AWS_KEY, SYNCHRONOUS_FUNCTION } from '../../../shared/scan';
import { ADVERTISING_NAMESPACE } from '../metrics';

/** At most this many publisher runs at once. */
export const PUBLISHER_CONCURRENCY = 5;

/** Days the publisher's log lines are kept. */
export const LOG_RETENTION_DAYS = 30;

/** Declares the metric publisher, its role, log group and alarm under `condition`, and returns the function. */
export function declarePublisher(
  t: Template,
  condition: Condition,
  alarmTopic: Value<string>,
): Resource<'AWS::Serverless::Function'> {
  // The function logs to a group declared here, so that its role can be scoped
  // to that group; the lines are operational only, so they go with the stack.
  const logGroup = t.resource(
    'RealTimeAdvertisingLambdaLogs',
    'AWS::Logs::LogGroup',
    { RetentionInDays: LOG_RETENTION_DAYS },
    { condition, deletionPolicy: 'Delete', updateReplacePolicy: 'Delete', scanExceptions: LOG_GROUP_AWS_KEY },
  );

  const role = t.resource(
    'RealTimeAdvertisingLambdaRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['lambda']),
      Policies: [
        inlinePolicy('PublishMetrics', [
          {
            Sid: 'PutAdvertisingMetrics',
            Action: 'cloudwatch:PutMetricData',
            // PutMetricData has no resource ARNs; the namespace condition is its scope.
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': ADVERTISING_NAMESPACE } },
          },
          {
            Sid: 'WriteOwnLogs',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: logGroup.getAtt('Arn'),
          },
          {
            Sid: 'WriteTraces',
            Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
            // X-Ray's write calls have no resource ARNs.
            Resource: '*',
          },
        ]),
      ],
    },
    { condition },
  );

  const publisher = t.resource(
    'RealTimeAdvertisingLambda',
    'AWS::Serverless::Function',
    {
      Description: 'Publishes the per-minute counts of the real-time applications as CloudWatch metrics',
      CodeUri: lambdaBundle(t, 'publish-to-cloudwatch'),
      Handler: 'index.handler',
      Runtime: LAMBDA_RUNTIME,
      Role: role.getAtt('Arn'),
      Timeout: 60,
      Tracing: 'Active',
      LoggingConfig: { LogGroup: logGroup },
      // Two applications deliver a batch a minute each: a few concurrent runs at most, and never the account's whole pool.
      ReservedConcurrentExecutions: PUBLISHER_CONCURRENCY,
    },
    { condition, scanExceptions: SYNCHRONOUS_FUNCTION },
  );

  // A failed batch of metric rows is a gap in the real-time dashboard; the counts in the lake are unaffected.
  declareAlarm(
    t,
    'RealTimeAdvertisingLambdaErrorsAlarm',
    alarmTopic,
    {
      AlarmDescription: 'The real-time metric publisher failed to publish a batch of counts; see docs/operations.md',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: publisher }],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      Period: 300,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      recoveryIsNews: true,
    },
    { condition },
  );
  return publisher;
}

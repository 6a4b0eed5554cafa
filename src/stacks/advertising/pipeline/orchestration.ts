// The Step Functions engine of the daily batch: the state machine that runs
// the jobs (workflow.ts), the roles it and its schedule act as, its log group,
// and the daily schedule, created disabled as the original created its
// pipeline inactive.
import type { CodeAssets } from '../../../cfn/assets';
import { fnIf, sub, type Intrinsic } from '../../../cfn/intrinsics';
import type { CfnResourceTypes } from '../../../cfn/resource-types';
import type { Resource, Template } from '../../../cfn/template';
import { arnIn, inlinePolicy, readScripts, serviceTrust, type Statement } from '../../shared/iam';
import { LOG_GROUP_AWS_KEY } from '../../shared/scan';
import { etlJobOutput } from '../lake';
import { DATASETS } from '../lake/datasets';
import type { HiveRuntime } from './hive';
import type { PipelineConditions, PipelineParameters } from './parameters';
import { Substitutions } from './states';
import type { PipelineTables } from './tables';
import { REDSHIFT_ENABLED, batchDefinition, type SubstitutionName } from './workflow';

type StateMachineProperties = CfnResourceTypes['AWS::StepFunctions::StateMachine'];

/** When the schedule starts a run: every day at 01:30 UTC, once the previous day's deliveries have landed. */
export const BATCH_SCHEDULE_EXPRESSION = 'cron(30 1 * * ? *)';

/** What the schedule passes to a run: its own time, from which the run works out the day before. */
export const BATCH_SCHEDULE_INPUT = JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' });

/** How long the state machine's error logs are kept. */
export const BATCH_LOG_RETENTION_DAYS = 30;

/** The rule Step Functions manages in the account to learn when an EMR Serverless job run ends (`.sync`). */
const EMR_SERVERLESS_SYNC_RULE = 'StepFunctionsGetEventsForEMRServerlessJobRule';

/** Stands in for Redshift settings in the definition when there is no cluster: a substitution cannot be empty. */
const NO_REDSHIFT = 'none';

export interface Orchestration {
  readonly stateMachine: Resource<'AWS::StepFunctions::StateMachine'>;
  readonly schedule: Resource<'AWS::Scheduler::Schedule'>;
}

export function declareOrchestration(
  t: Template,
  params: PipelineParameters,
  conditions: PipelineConditions,
  tables: PipelineTables,
  hive: HiveRuntime,
  code: CodeAssets,
): Orchestration {
  const engine = { condition: conditions.stepFunctionsBatch };
  const withRedshift = (value: Intrinsic) => fnIf(conditions.redshiftEnabled, value, NO_REDSHIFT);

  const substitutions = new Substitutions<SubstitutionName>({
    HiveApplicationId: hive.application,
    HiveJobRoleArn: hive.jobRole.getAtt('Arn'),
    CodeBucket: params.CodeBucket,
    CodePrefix: params.CodePrefix,
    BucketName: params.BucketName,
    Database: params.Database,
    RawCrawler: params.RawCrawler,
    ImpressionsETLJob: params.ImpressionsETLJob,
    ClicksETLJob: params.ClicksETLJob,
    AdTrafficTable: tables.adTraffic,
    RedshiftEnabled: fnIf(conditions.redshiftEnabled, REDSHIFT_ENABLED, 'no'),
    RedshiftClusterId: withRedshift(params.RedshiftClusterId),
    RedshiftDatabase: withRedshift(params.RedshiftDatabase),
    RedshiftUsername: withRedshift(params.RedshiftUsername),
    SpectrumRoleArn: withRedshift(params.RedshiftSpectrumRoleARN),
  });
  const definition = batchDefinition(substitutions.ph, code);

  const logs = t.resource(
    'BatchStateMachineLogs',
    'AWS::Logs::LogGroup',
    { RetentionInDays: BATCH_LOG_RETENTION_DAYS },
    { ...engine, scanExceptions: LOG_GROUP_AWS_KEY },
  );

  const role = t.resource(
    'BatchStateMachineRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['states']),
      Policies: [inlinePolicy('RunDailyBatch', stateMachineStatements(params, tables, hive))],
    },
    engine,
  );
  // Redshift's grants exist only with a cluster to grant on.
  t.resource(
    'BatchRedshiftPolicy',
    'AWS::IAM::Policy',
    {
      PolicyName: 'LoadRedshift',
      Roles: [role],
      PolicyDocument: inlinePolicy('LoadRedshift', redshiftStatements(params)).PolicyDocument,
    },
    { condition: conditions.stepFunctionsRedshift },
  );

  const stateMachine = t.resource(
    'BatchStateMachine',
    'AWS::StepFunctions::StateMachine',
    {
      StateMachineType: 'STANDARD',
      RoleArn: role.getAtt('Arn'),
      Definition: definition,
      // Each value is a string (or an intrinsic that yields one); cloudform-types types the map's values as objects.
      DefinitionSubstitutions: substitutions.for(
        definition,
      ) as unknown as StateMachineProperties['DefinitionSubstitutions'],
      LoggingConfiguration: {
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: logs.getAtt('Arn') } }],
      },
    },
    engine,
  );

  const scheduleRole = t.resource(
    'BatchScheduleRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['scheduler']),
      Policies: [
        inlinePolicy('StartDailyBatch', [
          { Sid: 'StartBatch', Action: 'states:StartExecution', Resource: stateMachine },
        ]),
      ],
    },
    engine,
  );

  const schedule = t.resource(
    'BatchSchedule',
    'AWS::Scheduler::Schedule',
    {
      Description: 'Starts the daily batch for the day before',
      ScheduleExpression: BATCH_SCHEDULE_EXPRESSION,
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: fnIf(conditions.batchScheduleEnabled, 'ENABLED', 'DISABLED'),
      Target: {
        Arn: stateMachine,
        RoleArn: scheduleRole.getAtt('Arn'),
        Input: BATCH_SCHEDULE_INPUT,
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      },
    },
    engine,
  );

  return { stateMachine, schedule };
}

/**
 * What the state machine does besides Redshift: run the lake's one crawler and
 * its two ETL jobs, run Hive jobs on the one application, change the one
 * table's capacity, log.
 */
function stateMachineStatements(params: PipelineParameters, tables: PipelineTables, hive: HiveRuntime): Statement[] {
  const glue = arnIn('glue');
  return [
    {
      Sid: 'RunRawCrawler',
      Action: ['glue:StartCrawler', 'glue:GetCrawler'],
      Resource: glue`crawler/${params.RawCrawler}`,
    },
    {
      // startJobRun.sync starts the run, follows it, and stops it when the execution is stopped.
      Sid: 'RunLakeETLJobs',
      Action: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'],
      Resource: DATASETS.map((dataset) => glue`job/${params[etlJobOutput(dataset)]}`),
    },
    { Sid: 'StartHiveJobs', Action: 'emr-serverless:StartJobRun', Resource: hive.application.getAtt('Arn') },
    {
      Sid: 'FollowHiveJobs',
      Action: ['emr-serverless:GetJobRun', 'emr-serverless:CancelJobRun'],
      Resource: sub`${hive.application.getAtt('Arn')}/jobruns/*`,
    },
    {
      Sid: 'PassHiveJobRole',
      Action: 'iam:PassRole',
      Resource: hive.jobRole.getAtt('Arn'),
      Condition: { StringEquals: { 'iam:PassedToService': 'emr-serverless.amazonaws.com' } },
    },
    {
      // Step Functions learns that a job run ended (.sync) through a rule it manages in the account.
      Sid: 'WatchHiveJobs',
      Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      Resource: arnIn('events')`rule/${EMR_SERVERLESS_SYNC_RULE}`,
    },
    {
      Sid: 'ChangeAdTrafficCapacity',
      Action: ['dynamodb:DescribeTable', 'dynamodb:UpdateTable'],
      Resource: tables.adTraffic.getAtt('Arn'),
    },
    {
      // Log delivery is set up through these account-level calls, which take no resource.
      Sid: 'DeliverLogs',
      Action: [
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
      ],
      Resource: '*',
    },
  ];
}

/** Redshift: read the SQL scripts, run statements on the one cluster as the one user, follow only its own statements. */
function redshiftStatements(params: PipelineParameters): Statement[] {
  const redshift = arnIn('redshift');
  return [
    readScripts('ReadSqlScripts', { bucket: params.CodeBucket, prefix: params.CodePrefix }, 'jobs/redshift'),
    {
      Sid: 'RunStatements',
      Action: ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'],
      Resource: redshift`cluster:${params.RedshiftClusterId}`,
    },
    {
      // The Data API signs in as the cluster user with temporary credentials.
      Sid: 'SignInAsUser',
      Action: 'redshift:GetClusterCredentials',
      Resource: [
        redshift`dbuser:${params.RedshiftClusterId}/${params.RedshiftUsername}`,
        redshift`dbname:${params.RedshiftClusterId}/${params.RedshiftDatabase}`,
      ],
    },
    {
      // Statement calls take no resource; the condition limits them to the statements this role ran.
      // Nothing cancels a statement (Step Functions does not for aws-sdk integrations), so only describing is granted.
      Sid: 'FollowOwnStatements',
      Action: 'redshift-data:DescribeStatement',
      Resource: '*',
      Condition: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
    },
  ];
}

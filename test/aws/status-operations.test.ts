// dataless status: the batch's last successful run and the alarms in ALARM,
// with Step Functions and CloudWatch served by moto. Moto runs the executions
// of a state machine made through its Step Functions API (with
// execute_state_machine on) and keeps alarms and their states. CloudFormation
// is mocked: moto 5.2.5 creates no CloudWatch alarm from a template (it lists
// the resource without a physical id), and a state machine it creates from a
// template lives outside the backend that runs executions, so the stack's
// resources are scripted to point at what the test made in moto.
import { expect } from 'chai';
import {
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { AwsClients } from '../../src/aws/clients';
import { formatStatus, status, type StatusResult } from '../../src/aws/status';
import { memoryIO } from '../../src/io';
import { useMoto } from '../support/moto';
import { localClients, useScriptedClients } from './mocks';

const ROOT_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/dataless-dev/1';
const SERVICE_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/dataless-dev-AdvertisingService-1AB/2';
const BATCH_ID =
  'arn:aws:cloudformation:us-east-1:123456789012:stack/dataless-dev-AdvertisingService-1AB-BatchPipeline-2CD/3';

/** The names CloudFormation would give the stack's alarms, and one of another branch's stack. */
const OVERDUE = 'dataless-dev-AdvertisingService-1AB-BatchPipeline-2CD-BatchOverdueAlarm-3EF';
const FAILED_RUN = 'dataless-dev-AdvertisingService-1AB-BatchPipeline-2CD-BatchRunFailedAlarm-4GH';
const FRESHNESS = 'dataless-dev-AdvertisingService-1AB-ImpressionsDeliveryStreamFreshnessAlarm-5IJ';
const OTHER_BRANCH = 'dataless-prod-AdvertisingService-9ZZ-BatchOverdueAlarm-9YY';

/** Passes, or fails when the input says `fail`. */
const BATCH_DEFINITION = {
  StartAt: 'Plan',
  States: {
    Plan: { Type: 'Choice', Choices: [{ Variable: '$.fail', IsPresent: true, Next: 'Failed' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Fail', Error: 'HiveJobFailed', Cause: 'the extract failed' },
  },
};

const summary = (
  LogicalResourceId: string,
  ResourceType: string,
  PhysicalResourceId: string,
): StackResourceSummary => ({
  LogicalResourceId,
  ResourceType,
  PhysicalResourceId,
  ResourceStatus: 'CREATE_COMPLETE',
  LastUpdatedTimestamp: new Date('2024-01-01T00:00:00Z'),
});

describe('status (the batch and the alarms, over moto)', function () {
  this.timeout(60_000);
  const moto = useMoto();
  const scripted = useScriptedClients();
  /** Step Functions and CloudWatch on moto, CloudFormation and CodePipeline scripted. */
  let aws: AwsClients;
  let stateMachine: string;
  let runs: Record<string, { startDate?: Date; stopDate?: Date; status?: string }>;

  before(async () => {
    // given moto running executions, a batch state machine with two successful runs and a failed one
    const answer = await fetch(`${moto.server.endpoint}/moto-api/config`, {
      method: 'POST',
      body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
    });
    expect(answer.status).to.be.lessThan(300);
    const onMoto = localClients(moto.server.endpoint);
    aws = { ...onMoto, cloudFormation: scripted.aws.cloudFormation, codePipeline: scripted.aws.codePipeline };
    const sfn = onMoto.stepFunctions();
    stateMachine = (
      await sfn.send(
        new CreateStateMachineCommand({
          name: 'BatchStateMachine-XYZ',
          roleArn: 'arn:aws:iam::123456789012:role/batch',
          definition: JSON.stringify(BATCH_DEFINITION),
        }),
      )
    ).stateMachineArn!;
    runs = {};
    for (const [name, input] of [
      ['rerun-2024-05-01', { date: '2024-05-01' }],
      ['scheduled-2024-05-03', { scheduledTime: '2024-05-03T01:30:00Z' }],
      ['rerun-2024-05-03', { date: '2024-05-03', fail: true }],
    ] as const) {
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: stateMachine, name, input: JSON.stringify(input) }),
      );
      for (let i = 0; i < 100; i++) {
        const run = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        runs[name] = run;
        if (run.status !== 'RUNNING') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // each run starts after the one before has ended, so the newest is the last
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(Object.values(runs).map((r) => r.status)).to.deep.equal(['SUCCEEDED', 'SUCCEEDED', 'FAILED']);
    sfn.destroy();

    // and three alarms of the stack, one of them in ALARM, and one in ALARM of another branch's stack
    const cloudWatch = onMoto.cloudWatch();
    for (const name of [OVERDUE, FAILED_RUN, FRESHNESS, OTHER_BRANCH]) {
      await cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'AWS/States',
          MetricName: 'ExecutionsSucceeded',
          Statistic: 'Sum',
          Period: 3600,
          EvaluationPeriods: 26,
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
        }),
      );
    }
    for (const name of [OVERDUE, OTHER_BRANCH]) {
      await cloudWatch.send(
        new SetAlarmStateCommand({
          AlarmName: name,
          StateValue: 'ALARM',
          StateReason: 'Threshold Crossed: 26 datapoints were less than the threshold (1.0).',
        }),
      );
    }
    await cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: FAILED_RUN, StateValue: 'OK', StateReason: 'no failed run' }),
    );
    cloudWatch.destroy();
  });

  beforeEach(() => {
    // and the stack, whose nested batch stack holds the state machine and two of the alarms
    const cfn = scripted.stub('cloudFormation');
    cfn
      .on(DescribeStacksCommand, { StackName: 'dataless' })
      .rejects(
        Object.assign(new Error('Stack with id dataless does not exist'), { name: 'ValidationError', $metadata: {} }),
      );
    cfn.on(DescribeStacksCommand, { StackName: 'dataless-dev' }).resolves({
      Stacks: [
        {
          StackName: 'dataless-dev',
          StackId: ROOT_ID,
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date('2024-01-01T00:00:00Z'),
        },
      ],
    });
    cfn.on(ListStackResourcesCommand, { StackName: ROOT_ID }).resolves({
      StackResourceSummaries: [
        summary('Bucket', 'AWS::S3::Bucket', 'dataless-dev-bucket-1'),
        summary('AdvertisingService', 'AWS::CloudFormation::Stack', SERVICE_ID),
      ],
    });
    cfn.on(ListStackResourcesCommand, { StackName: SERVICE_ID }).resolves({
      StackResourceSummaries: [
        summary('ImpressionsDeliveryStreamFreshnessAlarm', 'AWS::CloudWatch::Alarm', FRESHNESS),
        summary('BatchPipeline', 'AWS::CloudFormation::Stack', BATCH_ID),
      ],
    });
    cfn.on(ListStackResourcesCommand, { StackName: BATCH_ID }).resolves({
      StackResourceSummaries: [
        summary('BatchStateMachine', 'AWS::StepFunctions::StateMachine', stateMachine),
        summary('BatchOverdueAlarm', 'AWS::CloudWatch::Alarm', OVERDUE),
        summary('BatchRunFailedAlarm', 'AWS::CloudWatch::Alarm', FAILED_RUN),
      ],
    });
  });

  it("reports the last successful run's day, end and duration, the newer failed run, and only this stack's alarms in ALARM", async () => {
    // when
    const result = await status({ branch: 'dev' }, memoryIO({ aws }));

    // then
    const scheduled = runs['scheduled-2024-05-03']!;
    expect(result.batch).to.deep.equal({
      stateMachine,
      lastSuccess: {
        name: 'scheduled-2024-05-03',
        status: 'SUCCEEDED',
        day: '2024-05-02',
        startedAt: scheduled.startDate!.toISOString(),
        stoppedAt: scheduled.stopDate!.toISOString(),
        durationSeconds: Math.round((scheduled.stopDate!.getTime() - scheduled.startDate!.getTime()) / 1000),
      },
      latest: {
        name: 'rerun-2024-05-03',
        status: 'FAILED',
        day: '2024-05-03',
        startedAt: runs['rerun-2024-05-03']!.startDate!.toISOString(),
        stoppedAt: runs['rerun-2024-05-03']!.stopDate!.toISOString(),
        durationSeconds: 0,
      },
    });
    expect(result.alarms!.watched).to.equal(3);
    expect(result.alarms!.firing.map((a) => [a.logicalId, a.name])).to.deep.equal([['BatchOverdueAlarm', OVERDUE]]);
    const lines = formatStatus(result).split('\n');
    expect(lines).to.include(`batch ${stateMachine}`);
    expect(lines).to.include(
      `  last success: day 2024-05-02, ended ${scheduled.stopDate!.toISOString()}, took 0s (run scheduled-2024-05-03)`,
    );
    expect(lines.find((l) => l.startsWith('  latest run: '))).to.match(
      /^ {2}latest run: FAILED day 2024-05-03, ended \S+, took 0s \(run rerun-2024-05-03\)$/,
    );
    expect(lines).to.include('alarms: 1 of 3 in ALARM');
    expect(lines.find((l) => l.includes('BatchOverdueAlarm'))).to.match(
      /^ {2}BatchOverdueAlarm {2}since \S+: Threshold Crossed: 26 datapoints/,
    );
  });

  it('returns data that survives JSON, as --json prints it', async () => {
    const parsed = JSON.parse(JSON.stringify(await status({ branch: 'dev' }, memoryIO({ aws })))) as StatusResult;

    expect(parsed.batch && 'stateMachine' in parsed.batch ? parsed.batch.lastSuccess?.day : undefined).to.equal(
      '2024-05-02',
    );
    expect(parsed.alarms?.firing.map((a) => a.logicalId)).to.deep.equal(['BatchOverdueAlarm']);
  });

  it('says there is no successful run yet, and no alarm in ALARM, when so', async () => {
    // given a stack whose batch stack has only a state machine that never ran, and an alarm that is OK
    const sfn = aws.stepFunctions();
    const idle = (
      await sfn.send(
        new CreateStateMachineCommand({
          name: 'Idle',
          roleArn: 'arn:aws:iam::123456789012:role/batch',
          definition: JSON.stringify(BATCH_DEFINITION),
        }),
      )
    ).stateMachineArn!;
    sfn.destroy();
    scripted
      .stub('cloudFormation')
      .on(ListStackResourcesCommand, { StackName: BATCH_ID })
      .resolves({
        StackResourceSummaries: [
          summary('BatchStateMachine', 'AWS::StepFunctions::StateMachine', idle),
          summary('BatchRunFailedAlarm', 'AWS::CloudWatch::Alarm', FAILED_RUN),
        ],
      });
    // when
    const result = await status({ branch: 'dev' }, memoryIO({ aws }));

    // then
    expect(result.batch).to.deep.equal({ stateMachine: idle, lastSuccess: undefined, latest: undefined });
    expect(formatStatus(result)).to.contain(`batch ${idle}\n  last success: none yet\nalarms: none of 2 in ALARM\n`);
  });

  it('reports no batch when the state machine the stack lists is gone', async () => {
    // given a batch stack whose state machine Step Functions no longer has
    const gone = 'arn:aws:states:us-east-1:123456789012:stateMachine:Replaced';
    scripted
      .stub('cloudFormation')
      .on(ListStackResourcesCommand, { StackName: BATCH_ID })
      .resolves({
        StackResourceSummaries: [summary('BatchStateMachine', 'AWS::StepFunctions::StateMachine', gone)],
      });

    // when
    const result = await status({ branch: 'dev' }, memoryIO({ aws }));

    // then
    expect(result.batch).to.deep.equal({
      missing: 'the stack has no batch state machine (BatchEngine data-pipeline, or not deployed yet)',
    });
  });
});

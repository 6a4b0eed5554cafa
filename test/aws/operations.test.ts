// The parts of the status report that moto cannot show: which day a run
// processed, checked against the state machine's own PlanRun expression, and
// DescribeAlarms' paging and a refused call, which are scripted (moto answers
// any number of alarm names in one page and enforces no permissions).
import { expect } from 'chai';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import jsonataEngine from 'jsonata';
import { alarmsReport, batchReport, runDay, type StackResource } from '../../src/aws/operations';
import { DeploymentError } from '../../src/errors';
import { failure } from '../support/failure';
import { TemplateAssertions } from '../support/template';
import { useScriptedClients } from './mocks';

type Json = Record<string, any>;

describe('runDay', () => {
  // the state machine's own expression for the day it processes
  const definition = TemplateAssertions.load('templates-out/advertising/pipeline.yaml').resource('BatchStateMachine')
    .Properties as Json;
  const planRun = /^\{% (.*) %\}$/s.exec(definition.Definition.States.PlanRun.Assign.run as string)![1]!;
  const planned = async (input: Json, startTime: string): Promise<string> =>
    (
      (await jsonataEngine(planRun).evaluate(
        {},
        { states: { input, context: { Execution: { StartTime: startTime } } } },
      )) as { dateStart: string }
    ).dateStart;

  const cases: ReadonlyArray<[what: string, input: Json, startTime: string]> = [
    ['a given date', { date: '2024-02-29' }, '2024-06-01T10:00:00Z'],
    ['the day before the scheduled time', { scheduledTime: '2024-03-01T01:30:00Z' }, '2024-03-01T01:30:02Z'],
    [
      'the day before the scheduled time, across a year',
      { scheduledTime: '2025-01-01T01:30:00Z' },
      '2025-01-01T01:30:01Z',
    ],
    ['the day before the start of a run started by hand', {}, '2024-03-01T00:10:00.123Z'],
  ];
  for (const [what, input, startTime] of cases) {
    it(`agrees with the state machine's PlanRun on ${what}`, async () => {
      expect(runDay(JSON.stringify(input), new Date(startTime))).to.equal(await planned(input, startTime));
    });
  }

  it('gives no day for an input it cannot read', () => {
    expect(runDay('not json', new Date())).to.equal(undefined);
  });
});

describe('alarmsReport and batchReport (scripted answers)', () => {
  const scripted = useScriptedClients();

  const alarm = (i: number): StackResource => ({
    stack: 'dataless-dev',
    logicalId: `Alarm${i}`,
    type: 'AWS::CloudWatch::Alarm',
    physicalId: `dataless-dev-Alarm${i}-X`,
  });

  it('asks about at most 100 alarm names a call, follows every page, and keeps those in ALARM', async () => {
    // given 150 alarms, answered in pages, two of them in ALARM
    const resources = Array.from({ length: 150 }, (_, i) => alarm(i));
    const asked: string[][] = [];
    scripted
      .stub('cloudWatch')
      .on(DescribeAlarmsCommand)
      .callsFake((input: { AlarmNames: string[]; NextToken?: string }) => {
        asked.push(input.AlarmNames);
        const names = input.NextToken ? input.AlarmNames.slice(50) : input.AlarmNames.slice(0, 50);
        return {
          MetricAlarms: names.map((AlarmName) => ({
            AlarmName,
            StateValue: ['dataless-dev-Alarm7-X', 'dataless-dev-Alarm120-X'].includes(AlarmName) ? 'ALARM' : 'OK',
          })),
          NextToken: !input.NextToken && input.AlarmNames.length > 50 ? 'page-2' : undefined,
        };
      });

    // when
    const report = await alarmsReport(scripted.aws.cloudWatch(), resources);

    // then
    expect(asked.map((names) => names.length)).to.deep.equal([100, 100, 50]);
    expect(report.watched).to.equal(150);
    expect(report.firing.map((a) => a.logicalId)).to.deep.equal(['Alarm120', 'Alarm7']);
  });

  it('fails with what it was doing and the request id when Step Functions refuses', async () => {
    scripted
      .stub('stepFunctions')
      .on(ListExecutionsCommand)
      .rejects(
        Object.assign(new Error('not authorized to perform: states:ListExecutions'), {
          name: 'AccessDeniedException',
          $metadata: { requestId: 'req-1' },
        }),
      );
    const machine: StackResource = {
      stack: 'x',
      logicalId: 'BatchStateMachine',
      type: 'AWS::StepFunctions::StateMachine',
      physicalId: 'arn:aws:states:us-east-1:123456789012:stateMachine:batch',
    };

    const error = await failure(batchReport(scripted.aws.stepFunctions(), [machine]));

    expect(error).to.be.instanceOf(DeploymentError);
    expect(error.message).to.equal(
      'listing the runs of state machine arn:aws:states:us-east-1:123456789012:stateMachine:batch: AccessDeniedException: not authorized to perform: states:ListExecutions (request id req-1)',
    );
  });

  it('reports no batch when the stack has no state machine', async () => {
    expect(await batchReport(scripted.aws.stepFunctions(), [alarm(1)])).to.equal(undefined);
  });
});

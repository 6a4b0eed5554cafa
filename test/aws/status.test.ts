// dataless status against scripted answers: moto keeps no pipeline state
// (GetPipelineState, executions) and fails DescribeStackResource on stacks it
// made from change sets, so CodePipeline and CloudFormation are mocked here.
import { expect } from 'chai';
import {
  type CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import {
  type CodePipelineClient,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { formatStatus, status } from '../../src/aws/status';
import { DeploymentError, UsageError } from '../../src/errors';
import { memoryIO } from '../../src/io';
import { failure } from '../support/failure';
import { useScriptedClients } from './mocks';

const APP_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/dataless-dev/1';
const missing = () =>
  Object.assign(new Error('Stack with id x does not exist'), { name: 'ValidationError', $metadata: {} });
const stacks = (list: Stack[]) => ({ Stacks: list });
const bootstrapStack: Stack = {
  StackName: 'dataless',
  StackStatus: 'UPDATE_COMPLETE',
  CreationTime: new Date('2024-01-01T00:00:00Z'),
  Parameters: [{ ParameterKey: 'Branch', ParameterValue: 'dev' }],
};
const appStack = (StackStatus: Stack['StackStatus'], extra: Partial<Stack> = {}): Stack => ({
  StackName: 'dataless-dev',
  StackId: APP_ID,
  StackStatus,
  CreationTime: new Date('2024-01-01T00:00:00Z'),
  LastUpdatedTime: new Date('2024-02-03T04:05:06Z'),
  ...extra,
});

describe('status (scripted pipeline and stack answers)', () => {
  const scripted = useScriptedClients();
  const io = () => memoryIO({ aws: scripted.aws });
  let cfn: AwsClientStub<CloudFormationClient>;
  let pipelines: AwsClientStub<CodePipelineClient>;
  before(() => {
    cfn = scripted.stub('cloudFormation');
    pipelines = scripted.stub('codePipeline');
  });
  beforeEach(() => {
    // A stack without a state machine or alarms; status.operations.test.ts reports those.
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
    cfn.on(DescribeStacksCommand, { StackName: 'dataless' }).resolves(stacks([bootstrapStack]));
    cfn.on(DescribeStackResourceCommand, { StackName: 'dataless', LogicalResourceId: 'Pipeline' }).resolves({
      StackResourceDetail: {
        LogicalResourceId: 'Pipeline',
        PhysicalResourceId: 'dataless-Pipeline-1ABC',
        ResourceType: 'AWS::CodePipeline::Pipeline',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: new Date(),
      },
    });
    pipelines.on(GetPipelineStateCommand, { name: 'dataless-Pipeline-1ABC' }).resolves({
      pipelineName: 'dataless-Pipeline-1ABC',
      stageStates: [
        {
          stageName: 'Source',
          latestExecution: { pipelineExecutionId: 'run-2', status: 'Succeeded' },
          actionStates: [
            { actionName: 'Fetch', latestExecution: { status: 'Succeeded', summary: 'Fix the loader\n\nLonger text' } },
          ],
        },
        {
          stageName: 'Build',
          latestExecution: { pipelineExecutionId: 'run-2', status: 'Failed' },
          actionStates: [
            {
              actionName: 'Build',
              latestExecution: {
                status: 'Failed',
                errorDetails: {
                  code: 'JobFailed',
                  message: 'Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR',
                },
              },
            },
          ],
        },
        { stageName: 'Deploy', actionStates: [{ actionName: 'CreateChangeSet' }, { actionName: 'ExecuteChangeSet' }] },
      ],
    });
    pipelines.on(ListPipelineExecutionsCommand).resolves({
      pipelineExecutionSummaries: [
        {
          pipelineExecutionId: 'run-2',
          status: 'Failed',
          startTime: new Date('2024-02-03T04:00:00Z'),
          sourceRevisions: [
            { actionName: 'Fetch', revisionId: '0123456789abcdef0123', revisionSummary: 'Fix the loader' },
          ],
        },
      ],
    });
  });

  it("reports each stage, the latest run and the failing action's message, and the stack the pipeline deploys for its branch", async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'dataless-dev' }).resolves(stacks([appStack('UPDATE_COMPLETE')]));
    const host = io();

    const result = await status({}, host);

    expect(result.stack).to.include({ name: 'dataless-dev', status: 'UPDATE_COMPLETE', exists: true });
    expect(host.stdout, 'the action writes no result').to.equal('');
    expect(formatStatus(result)).to.equal(
      [
        'pipeline dataless-Pipeline-1ABC (stack dataless, branch dev)',
        '  latest run run-2: Failed, started 2024-02-03T04:00:00.000Z, revision 0123456789ab "Fix the loader"',
        '  Source  Succeeded',
        '    Fetch  Succeeded: Fix the loader',
        '  Build   Failed',
        '    Build  Failed: Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR',
        '  Deploy  -',
        '    CreateChangeSet   -',
        '    ExecuteChangeSet  -',
        'stack dataless-dev: UPDATE_COMPLETE (last change 2024-02-03T04:05:06.000Z)',
        'batch: none: the stack has no batch state machine (BatchEngine data-pipeline, or not deployed yet)',
        'alarms: the stack has none',
        '',
      ].join('\n'),
    );
  });

  it("returns the branch, the stack's status and reason and the failing action's message as data", async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'dataless-dev' }).resolves(
      stacks([
        appStack('UPDATE_ROLLBACK_COMPLETE', {
          StackStatusReason: 'The following resource(s) failed to update: [Service].',
        }),
      ]),
    );

    const parsed = await status({}, io());

    expect(parsed).to.include({ region: 'us-east-1', bootstrapStack: 'dataless', branch: 'dev' });
    expect(parsed.stack).to.deep.include({
      name: 'dataless-dev',
      status: 'UPDATE_ROLLBACK_COMPLETE',
      reason: 'The following resource(s) failed to update: [Service].',
    });
    expect('missing' in parsed.pipeline ? undefined : parsed.pipeline.stages[1]!.actions[0]!.error).to.match(
      /^Build terminated/,
    );
  });

  it('says there is no pipeline when the bootstrap stack is missing, and reports the stack of the branch given', async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'other' }).rejects(missing());
    cfn.on(DescribeStacksCommand, { StackName: 'other-feature-x' }).rejects(missing());

    const result = await status({ bootstrapStack: 'other', branch: 'feature/x' }, io());

    expect(formatStatus(result)).to.equal(
      'pipeline: none: no bootstrap stack other in us-east-1 (create it with `dataless bootstrap`)\nstack other-feature-x: does not exist in us-east-1\n',
    );
  });

  it('asks for a stack or a branch when there is no bootstrap stack to take the branch from', async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'dataless' }).rejects(missing());
    const error = await failure(status({}, io()));
    expect(error).to.be.instanceOf(UsageError);
    expect(error.message).to.contain('--stack-name or the branch with --branch');
  });

  describe('--follow', () => {
    let n = 0;
    const ev = (logicalId: string, resourceStatus: string, reason?: string): StackEvent => ({
      StackId: APP_ID,
      StackName: 'dataless-dev',
      EventId: `e${++n}`,
      LogicalResourceId: logicalId,
      PhysicalResourceId: logicalId === 'dataless-dev' ? APP_ID : `${logicalId}-1`,
      ResourceType: logicalId === 'dataless-dev' ? 'AWS::CloudFormation::Stack' : 'AWS::SQS::Queue',
      ResourceStatus: resourceStatus as StackEvent['ResourceStatus'],
      ResourceStatusReason: reason,
      Timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, n)),
    });

    it('shows the stack as found on stderr, follows the operation in progress from its start until it ends, and returns how it ended', async () => {
      const done = ev('dataless-dev', 'UPDATE_COMPLETE');
      const start = ev('dataless-dev', 'UPDATE_IN_PROGRESS', 'User Initiated');
      const queue = ev('Queue', 'UPDATE_IN_PROGRESS');
      const queueDone = ev('Queue', 'UPDATE_COMPLETE');
      const end = ev('dataless-dev', 'UPDATE_COMPLETE');
      cfn.on(DescribeStacksCommand, { StackName: 'dataless-dev' }).resolves(stacks([appStack('UPDATE_IN_PROGRESS')]));
      cfn
        .on(DescribeStacksCommand, { StackName: APP_ID })
        .resolvesOnce(stacks([appStack('UPDATE_IN_PROGRESS')]))
        .resolves(stacks([appStack('UPDATE_COMPLETE')]));
      cfn
        .on(DescribeStackEventsCommand)
        .resolvesOnce({ StackEvents: [queue, start, done] })
        .resolvesOnce({ StackEvents: [queue, start, done] })
        .resolves({ StackEvents: [end, queueDone, queue, start, done] });
      const host = io();

      const result = await status({ follow: true, pollIntervalMs: 1 }, host);

      expect(result).to.include({ followed: true });
      expect(result.stack.status).to.equal('UPDATE_COMPLETE');
      expect(formatStatus(result)).to.equal('stack dataless-dev: UPDATE_COMPLETE\n');
      const found = /^(?:.*\n)*?stack dataless-dev: UPDATE_IN_PROGRESS \(last change [^)]+\)\n/.exec(host.stderr);
      expect(found?.[0], 'the report as found, first on stderr').to.match(/^pipeline dataless-Pipeline-1ABC /);
      const lines = host.stderr.slice(found![0].length).split('\n').filter(Boolean);
      expect(lines.map((l) => l.replace(/^\S+ +(\S+) +(\S+).*$/, '$1 $2'))).to.deep.equal([
        'UPDATE_IN_PROGRESS dataless-dev',
        'UPDATE_IN_PROGRESS Queue',
        'UPDATE_COMPLETE Queue',
        'UPDATE_COMPLETE dataless-dev',
      ]);
    });

    it('fails with the root cause when the followed operation fails', async () => {
      const start = ev('dataless-dev', 'UPDATE_IN_PROGRESS', 'User Initiated');
      const failed = ev('Queue', 'UPDATE_FAILED', 'Queue is being deleted');
      const end = ev('dataless-dev', 'UPDATE_ROLLBACK_COMPLETE');
      cfn.on(DescribeStacksCommand, { StackName: 'dataless-dev' }).resolves(stacks([appStack('UPDATE_IN_PROGRESS')]));
      cfn.on(DescribeStacksCommand, { StackName: APP_ID }).resolves(stacks([appStack('UPDATE_ROLLBACK_COMPLETE')]));
      cfn
        .on(DescribeStackEventsCommand)
        .resolvesOnce({ StackEvents: [start] })
        .resolves({ StackEvents: [end, failed, start] });
      const error = await failure(status({ follow: true, pollIntervalMs: 1 }, io()));

      expect(error).to.be.instanceOf(DeploymentError);
      expect(error.message).to.equal(
        'stack dataless-dev ended in UPDATE_ROLLBACK_COMPLETE; first failure: Queue (AWS::SQS::Queue) UPDATE_FAILED: Queue is being deleted',
      );
    });
  });
});

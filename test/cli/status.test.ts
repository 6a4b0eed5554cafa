// The status command over scripted answers: moto keeps no CodePipeline state.
import { expect } from 'chai';
import {
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { GetPipelineStateCommand, ListPipelineExecutionsCommand } from '@aws-sdk/client-codepipeline';
import { useScriptedClients } from '../aws/mocks';
import { run, runWith } from './run';

describe('dataless status', () => {
  const scripted = useScriptedClients();

  beforeEach(() => {
    scripted
      .stub('cloudFormation')
      .on(DescribeStacksCommand, { StackName: 'ci' })
      .resolves({
        Stacks: [
          {
            StackName: 'ci',
            StackStatus: 'CREATE_COMPLETE',
            CreationTime: new Date(),
            Parameters: [{ ParameterKey: 'Branch', ParameterValue: 'main' }],
          },
        ],
      });
    scripted
      .stub('cloudFormation')
      .on(DescribeStackResourceCommand, { StackName: 'ci', LogicalResourceId: 'Pipeline' })
      .resolves({
        StackResourceDetail: {
          LogicalResourceId: 'Pipeline',
          PhysicalResourceId: 'ci-Pipeline-XYZ',
          ResourceType: 'AWS::CodePipeline::Pipeline',
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: new Date(),
        },
      });
    scripted
      .stub('cloudFormation')
      .on(DescribeStacksCommand, { StackName: 'ci-main' })
      .resolves({
        Stacks: [
          { StackName: 'ci-main', StackStatus: 'CREATE_IN_PROGRESS', CreationTime: new Date('2024-03-01T00:00:00Z') },
        ],
      });
    scripted
      .stub('codePipeline')
      .on(GetPipelineStateCommand)
      .resolves({
        stageStates: [
          {
            stageName: 'Deploy',
            latestExecution: { pipelineExecutionId: 'r1', status: 'InProgress' },
            actionStates: [{ actionName: 'ExecuteChangeSet', latestExecution: { status: 'InProgress' } }],
          },
        ],
      });
    // A stack still being created, without its state machine or alarms yet.
    scripted.stub('cloudFormation').on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
    scripted
      .stub('codePipeline')
      .on(ListPipelineExecutionsCommand)
      .resolves({ pipelineExecutionSummaries: [{ pipelineExecutionId: 'r1', status: 'InProgress' }] });
  });

  it("reports the pipeline of the bootstrap stack named and the stack it deploys for the bootstrap stack's branch", async () => {
    const { code, io } = await runWith({ aws: scripted.aws }, 'status', '--bootstrap-stack', 'ci');
    expect(code, io.stderr).to.equal(0);
    expect(io.stdout).to.equal(
      [
        'pipeline ci-Pipeline-XYZ (stack ci, branch main)',
        '  latest run r1: InProgress',
        '  Deploy  InProgress',
        '    ExecuteChangeSet  InProgress',
        'stack ci-main: CREATE_IN_PROGRESS (last change 2024-03-01T00:00:00.000Z)',
        'batch: none: the stack has no batch state machine (BatchEngine data-pipeline, or not deployed yet)',
        'alarms: the stack has none',
        '',
      ].join('\n'),
    );
    expect(scripted.stub('codePipeline').commandCalls(GetPipelineStateCommand)[0]!.args[0].input).to.deep.equal({
      name: 'ci-Pipeline-XYZ',
    });
  });

  it('prints JSON with --json', async () => {
    const { code, io } = await runWith({ aws: scripted.aws }, 'status', '--bootstrap-stack', 'ci', '--json');
    expect(code).to.equal(0);
    expect(JSON.parse(io.stdout)).to.deep.include({ bootstrapStack: 'ci', branch: 'main', region: 'us-east-1' });
  });

  it('with --follow, shows the stack as found and its events on stderr and prints how the operation ended', async () => {
    // given the stack's creation, in progress, that completes
    const stackEvent = (EventId: string, ResourceStatus: StackEvent['ResourceStatus'], second: number) => ({
      StackName: 'ci-main',
      StackId: 'ci-main',
      EventId,
      LogicalResourceId: 'ci-main',
      PhysicalResourceId: 'ci-main',
      ResourceType: 'AWS::CloudFormation::Stack',
      ResourceStatus,
      Timestamp: new Date(Date.UTC(2024, 2, 1, 0, 0, second)),
    });
    const start = stackEvent('e1', 'CREATE_IN_PROGRESS', 1);
    const cfn = scripted.stub('cloudFormation');
    cfn
      .on(DescribeStacksCommand, { StackName: 'ci-main' })
      .resolvesOnce({
        Stacks: [
          { StackName: 'ci-main', StackStatus: 'CREATE_IN_PROGRESS', CreationTime: new Date('2024-03-01T00:00:00Z') },
        ],
      })
      .resolves({
        Stacks: [
          { StackName: 'ci-main', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date('2024-03-01T00:00:00Z') },
        ],
      });
    cfn
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [start] })
      .resolves({ StackEvents: [stackEvent('e2', 'CREATE_COMPLETE', 2), start] });

    // when
    const { code, io } = await runWith({ aws: scripted.aws }, 'status', '--bootstrap-stack', 'ci', '--follow');

    // then
    expect(code, io.stderr).to.equal(0);
    expect(io.stdout).to.equal('stack ci-main: CREATE_COMPLETE\n');
    expect(io.stderr).to.match(
      /^pipeline ci-Pipeline-XYZ \(stack ci, branch main\)\n(?:.*\n)*stack ci-main: CREATE_IN_PROGRESS .*\n(?:.*\n)*.*CREATE_COMPLETE +ci-main/,
    );
  });

  it('explains the default stack name in its help', async () => {
    const { io } = await run('status', '--help');
    const text = io.stdout.replace(/\s+/g, ' ');
    expect(text).to.contain(
      'the application stack it deploys: <bootstrap stack>-<branch>, which with the defaults is dataless-<branch>',
    );
  });
});

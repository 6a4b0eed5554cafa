// The status command over scripted answers: moto keeps no CodePipeline state.
import { expect } from 'chai';
import {
  CloudFormationClient,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import { useMockClient, useScriptedEnvironment } from '../aws/mocks';
import { run } from './run';

describe('dataless status', () => {
  const cfn = useMockClient(CloudFormationClient);
  const pipelines = useMockClient(CodePipelineClient);
  useScriptedEnvironment();

  beforeEach(() => {
    cfn.stub.on(DescribeStacksCommand, { StackName: 'ci' }).resolves({
      Stacks: [
        {
          StackName: 'ci',
          StackStatus: 'CREATE_COMPLETE',
          CreationTime: new Date(),
          Parameters: [{ ParameterKey: 'Branch', ParameterValue: 'main' }],
        },
      ],
    });
    cfn.stub.on(DescribeStackResourceCommand, { StackName: 'ci', LogicalResourceId: 'Pipeline' }).resolves({
      StackResourceDetail: {
        LogicalResourceId: 'Pipeline',
        PhysicalResourceId: 'ci-Pipeline-XYZ',
        ResourceType: 'AWS::CodePipeline::Pipeline',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: new Date(),
      },
    });
    cfn.stub.on(DescribeStacksCommand, { StackName: 'ci-main' }).resolves({
      Stacks: [
        { StackName: 'ci-main', StackStatus: 'CREATE_IN_PROGRESS', CreationTime: new Date('2024-03-01T00:00:00Z') },
      ],
    });
    pipelines.stub.on(GetPipelineStateCommand).resolves({
      stageStates: [
        {
          stageName: 'Deploy',
          latestExecution: { pipelineExecutionId: 'r1', status: 'InProgress' },
          actionStates: [{ actionName: 'ExecuteChangeSet', latestExecution: { status: 'InProgress' } }],
        },
      ],
    });
    // A stack still being created, without its state machine or alarms yet.
    cfn.stub.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
    pipelines.stub
      .on(ListPipelineExecutionsCommand)
      .resolves({ pipelineExecutionSummaries: [{ pipelineExecutionId: 'r1', status: 'InProgress' }] });
  });

  it("reports the pipeline of the bootstrap stack named and the stack it deploys for the bootstrap stack's branch", async () => {
    const { code, io } = await run('status', '--bootstrap-stack', 'ci');
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
    expect(pipelines.stub.commandCalls(GetPipelineStateCommand)[0]!.args[0].input).to.deep.equal({
      name: 'ci-Pipeline-XYZ',
    });
  });

  it('prints JSON with --json', async () => {
    const { code, io } = await run('status', '--bootstrap-stack', 'ci', '--json');
    expect(code).to.equal(0);
    expect(JSON.parse(io.stdout)).to.deep.include({ bootstrapStack: 'ci', branch: 'main', region: 'us-east-1' });
  });

  it('explains the default stack name in its help', async () => {
    const { io } = await run('status', '--help');
    const text = io.stdout.replace(/\s+/g, ' ');
    expect(text).to.contain(
      'the application stack it deploys: <bootstrap stack>-<branch>, which with the defaults is dataless-<branch>',
    );
  });
});

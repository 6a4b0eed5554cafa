// Deployments whose CloudFormation answers moto cannot give: rollbacks with a
// root cause, nested stacks' per-resource events, change sets computed
// asynchronously (pending, failed, empty the way CloudFormation reports it),
// throttling and stacks left in ROLLBACK_COMPLETE. Each test scripts the
// answers with aws-sdk-client-mock; the comment on each says what moto lacks.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { bootstrapBucket, deploy, formatDeploy, type DeployOptions } from '../../../src/aws/deploy';
import { AbortError, DeploymentError, UsageError } from '../../../src/errors';
import { memoryIO } from '../../../src/io';
import { failure } from '../../support/failure';
import { useScriptedClients } from '../mocks';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/00000000-0000-0000-0000-000000000001';
const NESTED_ID =
  'arn:aws:cloudformation:us-east-1:123456789012:stack/app-Service-1ABC/00000000-0000-0000-0000-000000000002';
const CHANGE_SET_ID = 'arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/00000000-0000-0000-0000-000000000003';
const NESTED_CHANGE_SET_ID =
  'arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs-nested/00000000-0000-0000-0000-000000000004';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Answers in order; the last one repeats. An Error is thrown instead of returned. */
function sequence<T>(...answers: Array<T | Error>): () => Promise<T> {
  let i = 0;
  return async () => {
    const answer = answers[Math.min(i++, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    return answer;
  };
}

const awsFailure = (name: string, message: string) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400, requestId: 'req-1' } });
const missing = () => awsFailure('ValidationError', 'Stack with id app does not exist');
const throttled = () =>
  Object.assign(awsFailure('ThrottlingException', 'Rate exceeded'), { $retryable: { throttling: true } });

const stack = (StackStatus: Stack['StackStatus'], extra: Partial<Stack> = {}): { Stacks: Stack[] } => ({
  Stacks: [
    { StackName: 'app', StackId: STACK_ID, StackStatus, CreationTime: new Date('2024-01-01T00:00:00Z'), ...extra },
  ],
});

let clock = Date.parse('2024-01-01T10:00:00Z');
/** A stack event; each one a second later than the one before. */
function event(stackId: string, logicalId: string, status: string, extra: Partial<StackEvent> = {}): StackEvent {
  clock += 1000;
  const self = stackId === STACK_ID ? logicalId === 'app' : logicalId === 'app-Service-1ABC';
  return {
    StackId: stackId,
    StackName: stackId === STACK_ID ? 'app' : 'app-Service-1ABC',
    EventId: `${logicalId}-${status}-${clock}`,
    LogicalResourceId: logicalId,
    PhysicalResourceId: self ? stackId : `${logicalId}-physical`,
    ResourceType: self ? 'AWS::CloudFormation::Stack' : 'AWS::SQS::Queue',
    ResourceStatus: status as StackEvent['ResourceStatus'],
    Timestamp: new Date(clock),
    ...extra,
  };
}
/** DescribeStackEvents answers newest first. */
const page = (...oldestFirst: StackEvent[]) => ({ StackEvents: [...oldestFirst].reverse() });

describe('deploy (scripted CloudFormation answers)', () => {
  const scripted = useScriptedClients();
  /** An IO host whose clients are the scripted ones. */
  const scriptedIO = () => memoryIO({ aws: scripted.aws });
  let cfn: AwsClientStub<CloudFormationClient>;
  let dir: string;
  let template: string;

  const options = (overrides: Partial<DeployOptions> = {}): DeployOptions => ({
    root: dir,
    template,
    stackName: 'app',
    yes: true,
    pollIntervalMs: 1,
    changeSetBackoff: { initialMs: 1 },
    ...overrides,
  });
  /** The usual answers: a change set that adds a queue, computed at once. */
  const changeSetCreated = () => {
    cfn.on(CreateChangeSetCommand).resolves({ Id: CHANGE_SET_ID, StackId: STACK_ID });
    cfn.on(DescribeChangeSetCommand).resolves({
      ChangeSetName: 'cs',
      ChangeSetId: CHANGE_SET_ID,
      Status: 'CREATE_COMPLETE',
      Changes: [
        {
          Type: 'Resource',
          ResourceChange: { Action: 'Add', LogicalResourceId: 'Queue', ResourceType: 'AWS::SQS::Queue' },
        },
      ],
    });
    cfn.on(ExecuteChangeSetCommand).resolves({});
  };

  before(() => (cfn = scripted.stub('cloudFormation')));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dataless-deploy-mock-'));
    template = join(dir, 'app.yaml');
    writeFileSync(
      template,
      [
        'Parameters:',
        "  Token: {Type: String, NoEcho: true, Default: ''}",
        '  Stage: {Type: String, Default: Prod}',
        'Resources:',
        '  Queue: {Type: AWS::SQS::Queue}',
        '',
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the first failing resource of a nested stack, not the cascade of cancellations, when an update rolls back', async () => {
    // moto applies change sets at once and never fails or rolls back, and records no per-resource events for nested stacks.
    const before = event(STACK_ID, 'app', 'UPDATE_COMPLETE');
    const nestedOld = event(NESTED_ID, 'OldQueue', 'CREATE_COMPLETE');
    const rootStart = event(STACK_ID, 'app', 'UPDATE_IN_PROGRESS', { ResourceStatusReason: 'User Initiated' });
    const service = event(STACK_ID, 'Service', 'UPDATE_IN_PROGRESS', {
      PhysicalResourceId: NESTED_ID,
      ResourceType: 'AWS::CloudFormation::Stack',
    });
    const nested = [
      event(NESTED_ID, 'app-Service-1ABC', 'UPDATE_IN_PROGRESS'),
      event(NESTED_ID, 'Fn', 'CREATE_IN_PROGRESS', { ResourceType: 'AWS::Lambda::Function' }),
      event(NESTED_ID, 'Table', 'CREATE_IN_PROGRESS', { ResourceType: 'AWS::DynamoDB::Table' }),
      event(NESTED_ID, 'Fn', 'CREATE_FAILED', {
        ResourceType: 'AWS::Lambda::Function',
        ResourceStatusReason: 'The role defined for the function cannot be assumed by Lambda.',
      }),
      event(NESTED_ID, 'Table', 'CREATE_FAILED', {
        ResourceType: 'AWS::DynamoDB::Table',
        ResourceStatusReason: 'Resource creation cancelled',
      }),
    ];
    const rollback = [
      event(STACK_ID, 'Service', 'UPDATE_FAILED', {
        PhysicalResourceId: NESTED_ID,
        ResourceType: 'AWS::CloudFormation::Stack',
        ResourceStatusReason: `Embedded stack ${NESTED_ID} was not successfully updated. The following resource(s) failed to create: [Fn, Table].`,
      }),
      event(STACK_ID, 'app', 'UPDATE_ROLLBACK_IN_PROGRESS', {
        ResourceStatusReason: 'The following resource(s) failed to update: [Service].',
      }),
      event(STACK_ID, 'app', 'UPDATE_ROLLBACK_COMPLETE'),
    ];
    cfn
      .on(DescribeStacksCommand)
      .callsFake(sequence(stack('UPDATE_COMPLETE'), stack('UPDATE_COMPLETE'), stack('UPDATE_ROLLBACK_COMPLETE')));
    cfn.on(CreateChangeSetCommand).resolves({ Id: CHANGE_SET_ID, StackId: STACK_ID });
    cfn.on(DescribeChangeSetCommand, { ChangeSetName: CHANGE_SET_ID }).resolves({
      Status: 'CREATE_COMPLETE',
      Changes: [
        {
          ResourceChange: {
            Action: 'Modify',
            LogicalResourceId: 'Service',
            ResourceType: 'AWS::CloudFormation::Stack',
            ChangeSetId: NESTED_CHANGE_SET_ID,
          },
        },
      ],
    });
    cfn.on(DescribeChangeSetCommand, { ChangeSetName: NESTED_CHANGE_SET_ID }).resolves({
      Status: 'CREATE_COMPLETE',
      Changes: [
        { ResourceChange: { Action: 'Add', LogicalResourceId: 'Fn', ResourceType: 'AWS::Lambda::Function' } },
        { ResourceChange: { Action: 'Add', LogicalResourceId: 'Table', ResourceType: 'AWS::DynamoDB::Table' } },
      ],
    });
    cfn.on(ExecuteChangeSetCommand).resolves({});
    cfn
      .on(DescribeStackEventsCommand, { StackName: STACK_ID })
      .callsFake(sequence(page(before), page(before, rootStart, service, ...rollback)));
    cfn.on(DescribeStackEventsCommand, { StackName: NESTED_ID }).resolves(page(nestedOld, ...nested));
    const io = scriptedIO();

    const error = await failure(deploy(options(), io));

    expect(error).to.be.instanceOf(DeploymentError);
    expect(error.message).to.equal(
      'deployment of stack app failed (UPDATE_ROLLBACK_COMPLETE); first failure: Service/Fn (AWS::Lambda::Function) CREATE_FAILED: The role defined for the function cannot be assumed by Lambda.; the stack was rolled back to its previous state',
    );
    expect(io.stderr).to.match(
      /~ Modify +Service +AWS::CloudFormation::Stack\n {2}\+ Add +  Fn +AWS::Lambda::Function\n/,
    );
    expect(io.stderr).to.match(/CREATE_FAILED +Service\/Table {2}AWS::DynamoDB::Table {2}Resource creation cancelled/);
    expect(io.stderr).not.to.contain('OldQueue');
    const lines = io.stderr.split('\n');
    expect(lines.findIndex((l) => l.includes('Service/Fn') && l.includes('CREATE_FAILED'))).to.be.lessThan(
      lines.findIndex((l) => l.includes('UPDATE_ROLLBACK_COMPLETE')),
    );
    expect(io.stdout).to.equal('');
  });

  it('says that a failed first create leaves the stack in ROLLBACK_COMPLETE and how to start over', async () => {
    // moto has no rollback states.
    const review = event(STACK_ID, 'app', 'REVIEW_IN_PROGRESS');
    cfn
      .on(DescribeStacksCommand)
      .callsFake(sequence<unknown>(missing(), stack('REVIEW_IN_PROGRESS'), stack('ROLLBACK_COMPLETE')));
    changeSetCreated();
    cfn
      .on(DescribeStackEventsCommand)
      .callsFake(
        sequence(
          page(review),
          page(
            review,
            event(STACK_ID, 'Queue', 'CREATE_FAILED', { ResourceStatusReason: 'Queue name is invalid' }),
            event(STACK_ID, 'app', 'ROLLBACK_COMPLETE'),
          ),
        ),
      );

    const error = await failure(deploy(options({ yes: true }), scriptedIO()));

    expect(error.message).to.contain('first failure: Queue (AWS::SQS::Queue) CREATE_FAILED: Queue name is invalid');
    expect(error.message).to.contain(
      'left the stack in ROLLBACK_COMPLETE, which cannot be updated: fix the cause and deploy again with --recreate',
    );
  });

  it('refuses to update a stack in ROLLBACK_COMPLETE unless told to re-create it', async () => {
    // moto has no rollback states.
    cfn.on(DescribeStacksCommand).resolves(stack('ROLLBACK_COMPLETE'));

    const error = await failure(deploy(options(), scriptedIO()));

    expect(error).to.be.instanceOf(DeploymentError).with.property('code', 'STACK_NEEDS_RECREATE');
    expect(error.message).to.contain('run again with --recreate');
    expect(cfn.commandCalls(CreateChangeSetCommand)).to.have.length(0);
    expect(cfn.commandCalls(DeleteStackCommand)).to.have.length(0);
  });

  it('deletes a stack in ROLLBACK_COMPLETE with --recreate, then creates it through a CREATE change set', async () => {
    // moto has no rollback states.
    const review = event(STACK_ID, 'app', 'REVIEW_IN_PROGRESS');
    cfn
      .on(DescribeStacksCommand)
      .callsFake(
        sequence(
          stack('ROLLBACK_COMPLETE'),
          stack('DELETE_COMPLETE'),
          stack('REVIEW_IN_PROGRESS'),
          stack('CREATE_COMPLETE'),
        ),
      );
    cfn.on(DeleteStackCommand).resolves({});
    changeSetCreated();
    cfn
      .on(DescribeStackEventsCommand)
      .callsFake(sequence(page(review), page(review, event(STACK_ID, 'app', 'CREATE_COMPLETE'))));
    const io = scriptedIO();

    const result = await deploy(options({ recreate: true }), io);

    expect(result.stackStatus).to.equal('CREATE_COMPLETE');
    expect(cfn.commandCalls(DeleteStackCommand)[0]!.args[0].input)
      .to.include({ StackName: STACK_ID })
      .and.to.have.property('ClientRequestToken')
      .that.matches(UUID);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input.ChangeSetType).to.equal('CREATE');
    expect(io.stderr).to.contain('deleting it to create it anew (--recreate)');
  });

  it('names the reason when CloudFormation fails the change set, and executes nothing', async () => {
    // moto computes change sets at once and never fails one.
    cfn
      .on(DescribeStacksCommand)
      .resolves(stack('UPDATE_COMPLETE', { Parameters: [{ ParameterKey: 'Token', ParameterValue: '****' }] }));
    cfn.on(CreateChangeSetCommand).resolves({ Id: CHANGE_SET_ID, StackId: STACK_ID });
    cfn.on(DescribeChangeSetCommand).callsFake(
      sequence(
        { ChangeSetName: 'cs', Status: 'CREATE_PENDING' },
        { ChangeSetName: 'cs', Status: 'CREATE_IN_PROGRESS' },
        {
          ChangeSetName: 'cs',
          Status: 'FAILED',
          StatusReason:
            'Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template',
        },
      ),
    );

    const error = await failure(deploy(options(), scriptedIO()));

    expect(error).to.be.instanceOf(DeploymentError).with.property('code', 'CHANGE_SET_FAILED');
    expect(error.message).to.equal(
      'change set cs for stack app failed: Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template',
    );
    expect(cfn.commandCalls(DescribeChangeSetCommand)).to.have.length(3);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).to.have.length(0);
  });

  it('deletes a change set that CloudFormation failed for having no changes, and succeeds', async () => {
    // moto refuses an identical update at once instead of failing the change set as CloudFormation does.
    cfn.on(DescribeStacksCommand).resolves(
      stack('UPDATE_COMPLETE', {
        Parameters: [{ ParameterKey: 'Token', ParameterValue: '****' }],
        Outputs: [{ OutputKey: 'Url', OutputValue: 'https://x' }],
      }),
    );
    cfn.on(CreateChangeSetCommand).resolves({ Id: CHANGE_SET_ID, StackId: STACK_ID });
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'FAILED',
      StatusReason:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
    });
    cfn.on(DeleteChangeSetCommand).resolves({});
    const io = scriptedIO();

    const result = await deploy(options(), io);

    expect(result.outcome).to.equal('no-changes');
    expect(cfn.commandCalls(DeleteChangeSetCommand)[0]!.args[0].input).to.deep.equal({
      StackName: 'app',
      ChangeSetName: CHANGE_SET_ID,
    });
    expect(io.stderr).to.contain('no changes');
    expect(formatDeploy(result)).to.equal('Url: https://x\n');
  });

  it('passes a NoEcho value not given as the previous value, and never prints NoEcho values', async () => {
    // moto answers NoEcho values in clear; the point here is what is sent and shown.
    cfn.on(DescribeStacksCommand).resolves(
      stack('UPDATE_COMPLETE', {
        Parameters: [
          { ParameterKey: 'Token', ParameterValue: '****' },
          { ParameterKey: 'Stage', ParameterValue: 'Prod' },
        ],
      }),
    );
    cfn.on(CreateChangeSetCommand).resolves({ Id: CHANGE_SET_ID, StackId: STACK_ID });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: 'No updates are to be performed.' });
    const io = scriptedIO();

    await deploy(options(), io);

    expect(cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input.Parameters).to.deep.equal([
      { ParameterKey: 'Token', UsePreviousValue: true },
    ]);
    expect(io.stderr).to.contain('Token  **** (kept)');
  });

  it('carries a fresh token on every mutating call and prints the outputs on success', async () => {
    // moto ignores request tokens and computes no outputs for stacks made from change sets.
    const start = event(STACK_ID, 'app', 'REVIEW_IN_PROGRESS');
    const outputs = [
      { OutputKey: 'QueueUrl', OutputValue: 'https://sqs/q' },
      { OutputKey: 'Arn', OutputValue: 'arn:q' },
    ];
    changeSetCreated();
    const results = [];
    for (let run = 0; run < 2; run++) {
      cfn
        .on(DescribeStacksCommand)
        .callsFake(
          sequence<unknown>(missing(), stack('REVIEW_IN_PROGRESS'), stack('CREATE_COMPLETE', { Outputs: outputs })),
        );
      cfn
        .on(DescribeStackEventsCommand)
        .callsFake(sequence(page(start), page(start, event(STACK_ID, 'app', 'CREATE_COMPLETE'))));

      results.push(await deploy(options(), scriptedIO()));
    }

    const created = cfn.commandCalls(CreateChangeSetCommand).map((c) => c.args[0].input);
    const executed = cfn.commandCalls(ExecuteChangeSetCommand).map((c) => c.args[0].input);
    const tokens = [...created.map((i) => i.ClientToken), ...executed.map((i) => i.ClientRequestToken)];
    expect(tokens).to.have.length(4);
    tokens.forEach((t) => expect(t).to.match(UUID));
    expect(new Set(tokens).size).to.equal(4);
    expect(created[0]).to.deep.include({
      ChangeSetType: 'CREATE',
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
      IncludeNestedStacks: true,
    });
    expect(formatDeploy(results[1]!)).to.equal('Arn: arn:q\nQueueUrl: https://sqs/q\n');
  });

  it('keeps following through throttled polls (after the SDK has given up retrying) and finishes', async () => {
    // moto never throttles. aws-sdk-client-mock replaces send(), so the SDK's own retries are not in play:
    // this is the follower's own tolerance for a poll that still failed.
    const before = event(STACK_ID, 'app', 'UPDATE_COMPLETE');
    cfn
      .on(DescribeStacksCommand)
      .callsFake(
        sequence(
          stack('UPDATE_COMPLETE', { Parameters: [{ ParameterKey: 'Token', ParameterValue: '****' }] }),
          stack('UPDATE_COMPLETE'),
          stack('UPDATE_COMPLETE', { LastUpdatedTime: new Date() }),
        ),
      );
    changeSetCreated();
    cfn
      .on(DescribeStackEventsCommand)
      .callsFake(
        sequence<unknown>(
          page(before),
          throttled(),
          throttled(),
          page(before, event(STACK_ID, 'app', 'UPDATE_IN_PROGRESS'), event(STACK_ID, 'app', 'UPDATE_COMPLETE')),
        ),
      );

    const result = await deploy(options(), scriptedIO());

    expect(result.stackStatus).to.equal('UPDATE_COMPLETE');
    expect(cfn.commandCalls(DescribeStackEventsCommand).length).to.be.greaterThanOrEqual(4);
  });

  it('gives up following when every poll is throttled, saying the deployment goes on and how to follow it', async () => {
    // moto never throttles.
    const before = event(STACK_ID, 'app', 'UPDATE_COMPLETE');
    cfn
      .on(DescribeStacksCommand)
      .resolves(stack('UPDATE_COMPLETE', { Parameters: [{ ParameterKey: 'Token', ParameterValue: '****' }] }));
    changeSetCreated();
    cfn.on(DescribeStackEventsCommand).callsFake(sequence<unknown>(page(before), throttled()));

    const error = await failure(deploy(options(), scriptedIO()));

    expect(error).to.be.instanceOf(DeploymentError).with.property('code', 'FOLLOW_THROTTLED');
    expect(error.message).to.contain(
      'the deployment goes on: follow it with `dataless status --stack-name app --follow`',
    );
  });

  it('stops following on interrupt, leaving the operation running and saying how to follow it again', async () => {
    // moto finishes every operation before ExecuteChangeSet returns, so there is nothing in progress to leave.
    const before = event(STACK_ID, 'app', 'UPDATE_COMPLETE');
    const controller = new AbortController();
    cfn
      .on(DescribeStacksCommand)
      .callsFake(
        sequence(
          stack('UPDATE_COMPLETE', { Parameters: [{ ParameterKey: 'Token', ParameterValue: '****' }] }),
          stack('UPDATE_COMPLETE'),
          stack('UPDATE_IN_PROGRESS'),
        ),
      );
    changeSetCreated();
    const running = page(before, event(STACK_ID, 'app', 'UPDATE_IN_PROGRESS'));
    cfn.on(DescribeStackEventsCommand).callsFake(sequence(page(before), running, running, running));
    const io = scriptedIO();

    const pending = failure(deploy(options({ signal: controller.signal, pollIntervalMs: 50 }), io));
    setTimeout(() => controller.abort(), 120);
    const error = await pending;

    expect(error).to.be.instanceOf(AbortError).with.property('code', 'INTERRUPTED');
    expect(error.message).to.equal(
      'stopped following stack app; the deployment goes on in CloudFormation: follow it with `dataless status --stack-name app --follow` or in the console',
    );
    expect(io.stderr).to.contain('UPDATE_IN_PROGRESS');
  });

  describe('the default bucket', () => {
    // moto fails DescribeStackResource on stacks it made from change sets.
    it("is the bootstrap stack's artifact bucket", async () => {
      cfn.on(DescribeStackResourceCommand, { StackName: 'dataless', LogicalResourceId: 'Bucket' }).resolves({
        StackResourceDetail: {
          LogicalResourceId: 'Bucket',
          PhysicalResourceId: 'dataless-bucket-1abc',
          ResourceType: 'AWS::S3::Bucket',
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: new Date(),
        },
      });
      expect(await bootstrapBucket(scripted.aws, 'dataless', 'us-east-1')).to.equal('dataless-bucket-1abc');
    });

    it('asks for --bucket or a bootstrap stack when there is none', async () => {
      cfn.on(DescribeStackResourceCommand).rejects(missing());
      const error = await failure(bootstrapBucket(scripted.aws, 'dataless', 'us-east-1'));
      expect(error).to.be.instanceOf(UsageError);
      expect(error.message).to.equal(
        'deploy needs an S3 bucket for the packaged code: pass --bucket, or create the bootstrap stack first (`dataless bootstrap`), whose artifact bucket is the default (looked for in stack dataless in us-east-1)',
      );
    });
  });
});

import { expect } from 'chai';
import {
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { bootstrap, formatBootstrap, type BootstrapOptions } from '../../src/aws/bootstrap';
import { UsageError } from '../../src/errors';
import { memoryIO } from '../../src/io';
import { projectRoot } from '../../src/paths';
import { failure } from '../support/failure';
import { useLocalAws } from './fixtures';
import { useScriptedClients } from './mocks';

const CONNECTION =
  'arn:aws:codestar-connections:us-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

describe('bootstrap', () => {
  const base = (overrides: Partial<BootstrapOptions> = {}): BootstrapOptions => ({
    root: projectRoot(),
    yes: true,
    pollIntervalMs: 10,
    changeSetBackoff: { initialMs: 10 },
    ...overrides,
  });

  describe('against a local CloudFormation', () => {
    const local = useLocalAws();
    const motoIO = () => memoryIO({ env: {}, aws: local.aws });
    const parameters = async (name = 'dataless') =>
      Object.fromEntries(
        ((await local.cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.Parameters ?? []).map(
          (p) => [p.ParameterKey, p.ParameterValue],
        ),
      );

    it('deploys build.yaml through a change set, building from GitHub through the connection given', async () => {
      const io = motoIO();
      const result = await bootstrap(
        base({ githubOwner: 'octo', githubRepo: 'dataless', githubConnection: CONNECTION, branch: 'main' }),
        io,
      );
      expect(result).to.include({ outcome: 'executed', stackName: 'dataless', stackStatus: 'CREATE_COMPLETE' });
      expect(await parameters()).to.include({
        Owner: 'octo',
        Repo: 'dataless',
        Branch: 'main',
        ConnectionArn: CONNECTION,
        ExistingRepository: '',
      });
      expect(io.stderr).to.match(/\+ Add +Pipeline +AWS::CodePipeline::Pipeline/);
      expect(io.stderr).to.match(/\+ Add +PipelineRole +AWS::IAM::Role/);
    });

    it('builds from an existing CodeCommit repository when one is named', async () => {
      await bootstrap(base({ codecommitRepository: 'warehouse' }), motoIO());
      expect(await parameters()).to.include({ ExistingRepository: 'warehouse', Owner: '', ConnectionArn: '' });
    });

    it('keeps every parameter it is not given on update', async () => {
      // CodeCommit both times: moto resolves references of resources whose condition is false on update, which CloudFormation does not.
      await bootstrap(base({ githubRepo: 'warehouse', codecommitRepository: 'warehouse' }), motoIO());
      const io = motoIO();
      await bootstrap(base({ branch: 'dev' }), io);
      expect(await parameters()).to.include({ Repo: 'warehouse', ExistingRepository: 'warehouse', Branch: 'dev' });
      expect(io.stderr).to.match(/Branch +"master" -> "dev"/);
      expect(io.stderr).to.match(/ExistingRepository +"warehouse" \(kept\)/);
    });

    it('refuses to build a new stack from GitHub without a connection, before creating anything', async () => {
      const error = await failure(bootstrap(base({ githubOwner: 'octo', githubRepo: 'dataless' }), motoIO()));
      expect(error).to.be.instanceOf(UsageError);
      expect(error.message).to.equal(
        'building from GitHub needs a connection: create one in the CodePipeline console (Settings, Connections), authorise it in GitHub, then pass its ARN with --github-connection',
      );
      expect(await failure(local.cfn.send(new DescribeStacksCommand({ StackName: 'dataless' })))).to.have.property(
        'name',
        'ValidationError',
      );
    });
  });

  describe('usage', () => {
    it('refuses a connection without the GitHub repository it reaches', async () => {
      const error = await failure(bootstrap(base({ githubConnection: CONNECTION }), memoryIO({ env: {} })));
      expect(error).to.be.instanceOf(UsageError);
      expect(error.message).to.equal(
        '--github-connection needs --github-owner and --github-repo: name the GitHub repository the connection reaches',
      );
    });

    it('refuses two sources at once', async () => {
      const error = await failure(
        bootstrap(base({ githubOwner: 'o', githubRepo: 'r', codecommitRepository: 'c' }), memoryIO({ env: {} })),
      );
      expect(error.message).to.equal('--codecommit-repository and --github-owner name two sources: give one');
    });

    it('refuses an owner without a repository', async () => {
      const error = await failure(bootstrap(base({ githubOwner: 'o' }), memoryIO({ env: {} })));
      expect(error.message).to.equal('--github-owner needs --github-repo: name the repository to build from');
    });
  });

  describe('output (scripted answers)', () => {
    // moto computes no outputs for a stack made from a change set, so the RepoURL output is scripted here.
    const scripted = useScriptedClients();

    it('returns the RepoURL output, which is its text form, and says on stderr what to push where', async () => {
      const id = 'arn:aws:cloudformation:us-east-1:123456789012:stack/dataless/1';
      const missing = Object.assign(new Error('Stack with id dataless does not exist'), {
        name: 'ValidationError',
        $metadata: {},
      });
      const review = {
        StackId: id,
        StackName: 'dataless',
        EventId: 'e1',
        LogicalResourceId: 'dataless',
        PhysicalResourceId: id,
        ResourceType: 'AWS::CloudFormation::Stack',
        ResourceStatus: 'REVIEW_IN_PROGRESS' as StackEvent['ResourceStatus'],
        Timestamp: new Date(1),
      };
      const done = {
        ...review,
        EventId: 'e2',
        ResourceStatus: 'CREATE_COMPLETE' as StackEvent['ResourceStatus'],
        Timestamp: new Date(2),
      };
      const stack = (
        StackStatus: 'REVIEW_IN_PROGRESS' | 'CREATE_COMPLETE',
        Outputs = [] as Array<{ OutputKey: string; OutputValue: string }>,
      ) => ({
        Stacks: [{ StackName: 'dataless', StackId: id, StackStatus, CreationTime: new Date(), Outputs }],
      });
      scripted
        .stub('cloudFormation')
        .on(DescribeStacksCommand)
        .rejectsOnce(missing)
        .resolvesOnce(stack('REVIEW_IN_PROGRESS'))
        .resolves(
          stack('CREATE_COMPLETE', [
            { OutputKey: 'RepoURL', OutputValue: 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/dataless' },
          ]),
        );
      scripted.stub('cloudFormation').on(CreateChangeSetCommand).resolves({ Id: 'arn:cs', StackId: id });
      scripted
        .stub('cloudFormation')
        .on(DescribeChangeSetCommand)
        .resolves({
          Status: 'CREATE_COMPLETE',
          Changes: [
            {
              ResourceChange: {
                Action: 'Add',
                LogicalResourceId: 'Repository',
                ResourceType: 'AWS::CodeCommit::Repository',
              },
            },
          ],
        });
      scripted.stub('cloudFormation').on(ExecuteChangeSetCommand).resolves({});
      scripted
        .stub('cloudFormation')
        .on(DescribeStackEventsCommand)
        .resolvesOnce({ StackEvents: [review] })
        .resolves({ StackEvents: [done, review] });
      const io = memoryIO({ env: {}, aws: scripted.aws });

      const result = await bootstrap(base({ pollIntervalMs: 1, changeSetBackoff: { initialMs: 1 } }), io);

      expect(result.repoUrl).to.equal('https://git-codecommit.us-east-1.amazonaws.com/v1/repos/dataless');
      expect(formatBootstrap(result)).to.equal('https://git-codecommit.us-east-1.amazonaws.com/v1/repos/dataless\n');
      expect(io.stdout, 'the action writes no result').to.equal('');
      expect(io.stderr).to.contain('push the branch the pipeline builds to https://git-codecommit');
    });
  });
});

import { expect } from 'chai';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { bootstrap, type BootstrapOptions } from '../../src/aws/bootstrap';
import { UsageError } from '../../src/errors';
import { memoryIO } from '../../src/io';
import { projectRoot } from '../../src/paths';
import { failure } from '../support/failure';
import { useLocalCloudFormation } from './fixtures';
import { useMockClient, useScriptedEnvironment } from './mocks';

const TOKEN = 'ghp_not-a-real-token-0123456789';

describe('bootstrap', () => {
  const base = (overrides: Partial<BootstrapOptions> = {}): BootstrapOptions => ({
    root: projectRoot(),
    yes: true,
    pollIntervalMs: 10,
    changeSetBackoff: { initialMs: 10 },
    ...overrides,
  });

  describe('against a local CloudFormation', () => {
    const aws = useLocalCloudFormation();
    const parameters = async (name = 'dataless') =>
      Object.fromEntries(((await aws.cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));

    it('deploys build.yaml through a change set with the GitHub token read from the named variable, never printing it', async () => {
      const io = memoryIO({ env: { MY_TOKEN: TOKEN } });
      const result = await bootstrap(base({ githubOwner: 'octo', githubRepo: 'dataless', githubTokenEnv: 'MY_TOKEN', branch: 'main' }), io);
      expect(result).to.include({ outcome: 'executed', stackName: 'dataless', stackStatus: 'CREATE_COMPLETE' });
      // moto answers NoEcho values in clear, which shows that the token reached CloudFormation.
      expect(await parameters()).to.include({ Owner: 'octo', Repo: 'dataless', Branch: 'main', AccessToken: TOKEN });
      expect(io.stderr).to.match(/\+ Add +Pipeline +AWS::CodePipeline::Pipeline/);
      expect(io.stderr + io.stdout).not.to.contain(TOKEN);
      expect(io.stderr).to.contain('AccessToken  ****');
    });

    it('keeps every parameter it is not given on update', async () => {
      await bootstrap(base({ githubOwner: 'octo', githubRepo: 'dataless' }), memoryIO({ env: { GITHUB_TOKEN: TOKEN } }));
      const io = memoryIO({ env: {} });
      await bootstrap(base({ branch: 'dev' }), io);
      expect(await parameters()).to.include({ Owner: 'octo', Repo: 'dataless', Branch: 'dev', AccessToken: TOKEN });
      expect(io.stderr).to.contain('Branch           "master" -> "dev"');
      expect(io.stderr).to.contain('AccessToken      **** (kept)');
    });

    it('refuses to build a new stack from GitHub without a token, before creating anything', async () => {
      const error = await failure(bootstrap(base({ githubOwner: 'octo', githubRepo: 'dataless' }), memoryIO({ env: {} })));
      expect(error).to.be.instanceOf(UsageError);
      expect(error.message).to.equal('building from GitHub needs a token: export it in GITHUB_TOKEN (or name another variable with --github-token-env)');
      expect(await failure(aws.cfn.send(new DescribeStacksCommand({ StackName: 'dataless' })))).to.have.property('name', 'ValidationError');
    });
  });

  describe('usage', () => {
    it('refuses a token variable that is not set', async () => {
      const error = await failure(bootstrap(base({ githubOwner: 'o', githubRepo: 'r', githubTokenEnv: 'NOT_SET' }), memoryIO({ env: {} })));
      expect(error).to.be.instanceOf(UsageError);
      expect(error.message).to.contain('--github-token-env names NOT_SET, which is not set or empty');
    });

    it('refuses an owner without a repository', async () => {
      const error = await failure(bootstrap(base({ githubOwner: 'o' }), memoryIO({ env: {} })));
      expect(error.message).to.equal('--github-owner needs --github-repo: name the repository to build from');
    });
  });

  describe('output (scripted answers)', () => {
    // moto computes no outputs for a stack made from a change set, so the RepoURL output is scripted here.
    const mocked = useMockClient(CloudFormationClient);
    useScriptedEnvironment();

    it('prints the RepoURL output on stdout', async () => {
      const id = 'arn:aws:cloudformation:us-east-1:123456789012:stack/dataless/1';
      const missing = Object.assign(new Error('Stack with id dataless does not exist'), { name: 'ValidationError', $metadata: {} });
      const review = { StackId: id, StackName: 'dataless', EventId: 'e1', LogicalResourceId: 'dataless', PhysicalResourceId: id, ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'REVIEW_IN_PROGRESS' as StackEvent['ResourceStatus'], Timestamp: new Date(1) };
      const done = { ...review, EventId: 'e2', ResourceStatus: 'CREATE_COMPLETE' as StackEvent['ResourceStatus'], Timestamp: new Date(2) };
      const stack = (StackStatus: 'REVIEW_IN_PROGRESS' | 'CREATE_COMPLETE', Outputs = [] as Array<{ OutputKey: string; OutputValue: string }>) => ({
        Stacks: [{ StackName: 'dataless', StackId: id, StackStatus, CreationTime: new Date(), Outputs }],
      });
      mocked.stub.on(DescribeStacksCommand).rejectsOnce(missing).resolvesOnce(stack('REVIEW_IN_PROGRESS')).resolves(stack('CREATE_COMPLETE', [{ OutputKey: 'RepoURL', OutputValue: 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/dataless' }]));
      mocked.stub.on(CreateChangeSetCommand).resolves({ Id: 'arn:cs', StackId: id });
      mocked.stub.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [{ ResourceChange: { Action: 'Add', LogicalResourceId: 'Repository', ResourceType: 'AWS::CodeCommit::Repository' } }] });
      mocked.stub.on(ExecuteChangeSetCommand).resolves({});
      mocked.stub.on(DescribeStackEventsCommand).resolvesOnce({ StackEvents: [review] }).resolves({ StackEvents: [done, review] });
      const io = memoryIO({ env: {} });

      await bootstrap(base({ pollIntervalMs: 1, changeSetBackoff: { initialMs: 1 } }), io);

      expect(io.stdout).to.equal('https://git-codecommit.us-east-1.amazonaws.com/v1/repos/dataless\n');
      expect(io.stderr).to.contain('push the branch the pipeline builds to https://git-codecommit');
    });
  });
});

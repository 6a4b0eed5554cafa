import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStacksCommand, ListChangeSetsCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { useCountingEndpoint } from '../aws/mocks';
import { fixtureTemplate, useLocalAws } from '../aws/fixtures';
import { run, runWith } from './run';

describe('dataless deploy', () => {
  let dir: string;
  let template: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dataless-deploy-cli-'));
    template = join(dir, 'fixture.yaml');
    writeFileSync(template, fixtureTemplate());
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('against a local CloudFormation', () => {
    const local = useLocalAws();
    /** `dataless ...args` with clients on moto. */
    const dataless = (...args: string[]) => runWith({ aws: local.aws }, ...args);
    const stackStatus = async () =>
      (await local.cfn.send(new DescribeStacksCommand({ StackName: 'fixture' }))).Stacks?.[0]?.StackStatus;

    it('creates a stack from a template file, finds nothing to change the second time, then updates it', async () => {
      const created = await dataless('deploy', '--template', template, '--stack-name', 'fixture', '--yes');
      const unchanged = await dataless('deploy', '--template', template, '--stack-name', 'fixture', '--yes');
      writeFileSync(template, fixtureTemplate('  StoreName: {Value: !Ref Store}'));
      const updated = await dataless('deploy', '--template', template, '--stack-name', 'fixture', '--yes');

      expect([created.code, unchanged.code, updated.code]).to.deep.equal([0, 0, 0]);
      expect(created.io.stderr).to.contain('(CREATE) for stack fixture');
      expect(unchanged.io.stderr).to.contain('no changes: stack fixture is up to date');
      expect(updated.io.stderr).to.contain('(UPDATE) for stack fixture');
      expect(await stackStatus()).to.equal('UPDATE_COMPLETE');
    });

    it('leaves the change set for review with --no-execute and prints its name', async () => {
      const { code, io } = await dataless('deploy', '--template', template, '--stack-name', 'fixture', '--no-execute');
      const listed = (await local.cfn.send(new ListChangeSetsCommand({ StackName: 'fixture' }))).Summaries ?? [];
      expect(code).to.equal(0);
      expect(io.stdout).to.equal(`${listed[0]?.ChangeSetName}\n`);
      expect(listed[0]?.ExecutionStatus).to.equal('AVAILABLE');
    });

    it('exits 1 without a terminal and without --yes, naming the change set it leaves', async () => {
      const { code, io } = await dataless('deploy', '--template', template, '--stack-name', 'fixture');
      const listed = (await local.cfn.send(new ListChangeSetsCommand({ StackName: 'fixture' }))).Summaries ?? [];
      expect(code).to.equal(1);
      expect(listed).to.have.length(1);
      expect(io.stderr).to.contain(
        `error: not executing change set ${listed[0]!.ChangeSetName} for stack fixture: there is no terminal to confirm on and --yes was not given`,
      );
      expect(await stackStatus()).to.equal('REVIEW_IN_PROGRESS');
    });

    it("packages a branch and leaves the application stack's change set for review", async () => {
      const s3 = local.aws.s3();
      await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
      s3.destroy();
      const { code, io } = await dataless(
        'deploy',
        '--branch',
        'master',
        '--bucket',
        'artifacts',
        '--out',
        join(dir, 'package'),
        '--no-execute',
      );
      expect(code, io.stderr).to.equal(0);
      expect(io.stderr).to.match(/package: \d+ uploaded/);
      expect(io.stderr).to.match(/change set (dataless-\S+) \(CREATE\) for stack dataless-master:\n/);
      expect(io.stderr).to.match(/\+ Add +AdvertisingService +AWS::Serverless::Application/);
      expect(io.stdout).to.match(/^dataless-\d{8}-\d{6}-[0-9a-f]{4}\n$/);
    });
  });

  describe('refusals', () => {
    const counter = useCountingEndpoint();

    it('stops at a branch without a config, with exit status 2, before any AWS call', async () => {
      const { code, io } = await runWith({ aws: counter.aws }, 'deploy', '--branch', 'no-such-branch', '--yes');
      expect(code).to.equal(2);
      expect(io.stderr).to.contain('config/no-such-branch.json does not exist');
      expect(counter.requests).to.equal(0);
    });

    it('needs --stack-name with --template', async () => {
      const { code, io } = await run('deploy', '--template', template);
      expect(code).to.equal(2);
      expect(io.stderr).to.equal(
        'error: --template needs --stack-name: a template deployed as it is has no default stack\n',
      );
    });

    it('needs a branch or a template', async () => {
      const { code, io } = await run('deploy');
      expect(code).to.equal(2);
      expect(io.stderr).to.contain('name the branch to deploy with --branch');
    });

    it('refuses a stack name CloudFormation would refuse', async () => {
      const { code, io } = await runWith(
        { aws: counter.aws },
        'deploy',
        '--template',
        template,
        '--stack-name',
        '9_bad',
      );
      expect(code).to.equal(2);
      expect(io.stderr).to.contain('stack name "9_bad" is not allowed');
      expect(counter.requests).to.equal(0);
    });
  });
});

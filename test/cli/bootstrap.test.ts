import { expect } from 'chai';
import { DescribeStacksCommand, ListChangeSetsCommand } from '@aws-sdk/client-cloudformation';
import { useLocalAws } from '../aws/fixtures';
import { runWith } from './run';

describe('dataless bootstrap', () => {
  const local = useLocalAws();
  /** `dataless ...args` with clients on moto. */
  const run = (...args: string[]) => runWith({ aws: local.aws }, ...args);

  it('creates the bootstrap stack from build.yaml under the name given', async () => {
    const { code, io } = await run('bootstrap', '--stack-name', 'ci', '--branch', 'main', '--yes');
    const stack = (await local.cfn.send(new DescribeStacksCommand({ StackName: 'ci' }))).Stacks?.[0];
    expect(code, io.stderr).to.equal(0);
    expect(stack?.StackStatus).to.equal('CREATE_COMPLETE');
    expect(stack?.Parameters).to.deep.include({ ParameterKey: 'Branch', ParameterValue: 'main' });
    expect(io.stderr).to.match(/\+ Add +Build +AWS::CodeBuild::Project/);
  });

  it('leaves the change set for review with --no-execute, printing its name', async () => {
    const { code, io } = await run('bootstrap', '--no-execute');
    const listed = (await local.cfn.send(new ListChangeSetsCommand({ StackName: 'dataless' }))).Summaries ?? [];
    expect(code).to.equal(0);
    expect(io.stdout).to.equal(`${listed[0]?.ChangeSetName}\n`);
  });

  it('builds from an existing CodeCommit repository named by --codecommit-repository', async () => {
    const { code, io } = await run('bootstrap', '--codecommit-repository', 'warehouse', '--yes');
    const stack = (await local.cfn.send(new DescribeStacksCommand({ StackName: 'dataless' }))).Stacks?.[0];
    expect(code, io.stderr).to.equal(0);
    expect(stack?.Parameters).to.deep.include({ ParameterKey: 'ExistingRepository', ParameterValue: 'warehouse' });
  });

  it('exits 2 when GitHub is asked for without a connection on a new stack', async () => {
    const { code, io } = await run('bootstrap', '--github-owner', 'octo', '--github-repo', 'dataless', '--yes');
    expect(code).to.equal(2);
    expect(io.stderr).to.contain('error: building from GitHub needs a connection');
  });

  it('offers a connection flag and no flag or variable for a token', async () => {
    const { io } = await run('bootstrap', '--help');
    expect(io.stdout).to.contain('--github-connection <arn>');
    expect(io.stdout).not.to.match(/--github-token/);
  });
});

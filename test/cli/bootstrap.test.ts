import { expect } from 'chai';
import { DescribeStacksCommand, ListChangeSetsCommand } from '@aws-sdk/client-cloudformation';
import { useLocalCloudFormation } from '../aws/fixtures';
import { run } from './run';

describe('dataless bootstrap', () => {
  const aws = useLocalCloudFormation();

  it('creates the bootstrap stack from build.yaml under the name given', async () => {
    const { code, io } = await run('bootstrap', '--stack-name', 'ci', '--branch', 'main', '--yes');
    const stack = (await aws.cfn.send(new DescribeStacksCommand({ StackName: 'ci' }))).Stacks?.[0];
    expect(code, io.stderr).to.equal(0);
    expect(stack?.StackStatus).to.equal('CREATE_COMPLETE');
    expect(stack?.Parameters).to.deep.include({ ParameterKey: 'Branch', ParameterValue: 'main' });
    expect(io.stderr).to.match(/\+ Add +Build +AWS::CodeBuild::Project/);
  });

  it('leaves the change set for review with --no-execute, printing its name', async () => {
    const { code, io } = await run('bootstrap', '--no-execute');
    const listed = (await aws.cfn.send(new ListChangeSetsCommand({ StackName: 'dataless' }))).Summaries ?? [];
    expect(code).to.equal(0);
    expect(io.stdout).to.equal(`${listed[0]?.ChangeSetName}\n`);
  });

  it('reads the token from the environment variable named, and exits 2 when it is not set', async () => {
    const { code, io } = await run('bootstrap', '--github-owner', 'octo', '--github-repo', 'dataless', '--github-token-env', 'DATALESS_TOKEN', '--yes');
    expect(code).to.equal(2);
    expect(io.stderr).to.equal('error: --github-token-env names DATALESS_TOKEN, which is not set or empty: export the GitHub token in DATALESS_TOKEN\n');
  });

  it('offers no flag that takes the token itself', async () => {
    const { io } = await run('bootstrap', '--help');
    expect(io.stdout).to.contain('--github-token-env <var>');
    expect(io.stdout).not.to.match(/--github-token[ =]/);
  });
});

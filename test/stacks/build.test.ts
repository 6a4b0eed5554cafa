import { expect } from 'chai';
import { parse } from 'yaml';
import { TemplateAssertions, absent, arrayWith, objectLike, stringLike } from '../support/template';
import { originalIds } from './original';

describe('build.yaml (the bootstrap stack)', () => {
  const template = TemplateAssertions.load('build.yaml');

  it('declares nothing beyond the resources of the original (their ids and types: original-resources.test.ts)', () => {
    expect(Object.keys(template.section('Resources'))).to.have.members(originalIds('build.yaml'));
  });

  describe('parameters', () => {
    it('declares the source and task-runner parameters, with the secrets masked', () => {
      template.hasParameter('Branch', { Type: 'String', Default: 'master' });
      template.hasParameter('Owner', { Default: '' });
      template.hasParameter('Repo', { Default: '' });
      template.hasParameter('AccessToken', { Default: '', NoEcho: true });
      template.hasParameter('AccessKeyID', { Default: '', NoEcho: absent() });
      template.hasParameter('SecretAccessKey', { Default: '', NoEcho: true });
    });

    it('groups and labels them for the console', () => {
      const iface = (template.json.Metadata as any)['AWS::CloudFormation::Interface'];
      expect(iface.ParameterGroups).to.deep.equal([
        { Label: { default: 'Source Location' }, Parameters: ['Branch', 'Owner', 'Repo', 'AccessToken'] },
        { Label: { default: 'Task Runner' }, Parameters: ['AccessKeyID', 'SecretAccessKey'] },
      ]);
      expect(Object.keys(iface.ParameterLabels)).to.have.members(['Branch', 'Owner', 'Repo', 'AccessToken', 'AccessKeyID', 'SecretAccessKey']);
    });
  });

  describe('conditions', () => {
    it('uses GitHub only when owner, repository and token are all given, CodeCommit otherwise', () => {
      template.hasCondition('RepoNameGiven', { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Repo' }, ''] }] });
      template.hasCondition('UseGitHub', {
        'Fn::And': [
          { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Owner' }, ''] }] },
          { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Repo' }, ''] }] },
          { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AccessToken' }, ''] }] },
        ],
      });
      template.hasCondition('UseCodeCommit', {
        'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'Owner' }, ''] }, { 'Fn::Equals': [{ Ref: 'Repo' }, ''] }, { 'Fn::Equals': [{ Ref: 'AccessToken' }, ''] }],
      });
    });
  });

  describe('source and artifacts', () => {
    it('keeps the artifact bucket, encrypted and versioned, when the stack is deleted', () => {
      template.hasResource('Bucket', 'AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: {
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
        },
      });
    });

    it('creates the CodeCommit repository only without GitHub, named after the stack by default', () => {
      template.hasResource('Repository', 'AWS::CodeCommit::Repository', {
        Condition: 'UseCodeCommit',
        DeletionPolicy: 'Retain',
        Properties: { RepositoryName: { 'Fn::If': ['RepoNameGiven', { Ref: 'Repo' }, { Ref: 'AWS::StackName' }] } },
      });
    });
  });

  describe('the deploy role', () => {
    it('is assumed by CloudFormation, CodeBuild and CodePipeline', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: objectLike({
          Statement: [objectLike({ Action: 'sts:AssumeRole', Principal: { Service: arrayWith('cloudformation.amazonaws.com', 'codebuild.amazonaws.com', 'codepipeline.amazonaws.com') } })],
        }),
      });
    });

    it('may manage the services the application stacks use, including the current engines', () => {
      const actions = (template.resource('Role').Properties as any).Policies[0].PolicyDocument.Statement[0].Action as string[];
      expect(actions).to.include.members(['cloudformation:*', 'iam:*', 'lambda:*', 'states:*', 'glue:*', 'firehose:*']);
      expect(actions).to.deep.equal([...actions].sort());
    });

    it('may update the CloudFront distribution behind a custom domain, which API Gateway does in the caller\'s name', () => {
      // app.yaml's DomainName (DNS set up) is regional now; a stack deployed with the original's
      // edge-optimized one has a CloudFront distribution that the update to REGIONAL changes.
      const app = TemplateAssertions.load('templates-out/app.yaml');
      app.hasResourceProperties('AWS::ApiGateway::DomainName', { EndpointConfiguration: { Types: ['REGIONAL'] } });
      const actions = (template.resource('Role').Properties as any).Policies[0].PolicyDocument.Statement[0].Action as string[];
      expect(actions.some((action) => action === 'cloudfront:*' || action === 'cloudfront:UpdateDistribution')).to.equal(true, actions.join(', '));
    });
  });

  describe('the build project', () => {
    it('builds on a current standard image with the bucket and branch in its environment', () => {
      template.hasResource('Build', 'AWS::CodeBuild::Project', {
        Properties: {
          Name: { 'Fn::Sub': '${AWS::StackName}-build' },
          ServiceRole: { 'Fn::GetAtt': ['Role', 'Arn'] },
          Environment: objectLike({
            Image: 'aws/codebuild/standard:7.0',
            EnvironmentVariables: arrayWith(objectLike({ Name: 'BUCKET', Value: { Ref: 'Bucket' } }), objectLike({ Name: 'BRANCH', Value: { Ref: 'Branch' } })),
          }),
          Source: { Type: 'CODEPIPELINE', BuildSpec: stringLike('npm ci') },
          Artifacts: { Type: 'CODEPIPELINE' },
        },
      });
    });

    it('installs, tests and packages this project, handing template.yaml and template-config.json to the pipeline', () => {
      const spec = parse((template.resource('Build').Properties as any).Source.BuildSpec);
      expect(spec.phases.install['runtime-versions']).to.deep.equal({ nodejs: '20', python: '3.11', java: 'corretto17' });
      expect(spec.phases.build.commands.slice(0, 3)).to.deep.equal([
        'npm ci --cache .npm-cache',
        'npm test',
        'npx dataless package --branch "$BRANCH" --bucket "$BUCKET" --out build-output',
      ]);
      expect(spec.cache.paths).to.deep.equal(['.npm-cache/**/*', '.venv/**/*']);
      expect(spec.artifacts).to.deep.equal({ 'base-directory': 'build-output', files: ['template.yaml', 'template-config.json', 'diff.md'] });
    });

    it('writes the markdown diff report against the stack it deploys as an artifact, or says that a first deploy has none', () => {
      const build = template.resource('Build').Properties as any;
      expect(build.Environment.EnvironmentVariables).to.deep.include({ Type: 'PLAINTEXT', Name: 'STACK', Value: { 'Fn::Sub': '${AWS::StackName}-${Branch}' } });
      const commands = parse(build.Source.BuildSpec).phases.build.commands as string[];
      expect(commands.slice(3)).to.deep.equal([
        'if aws cloudformation describe-stacks --stack-name "$STACK" > /dev/null 2>&1; ' +
          'then npx dataless diff --stack-name "$STACK" --branch "$BRANCH" --format markdown > build-output/diff.md; ' +
          'else echo "First deploy of stack $STACK: every resource is new." > build-output/diff.md; fi',
      ]);
    });
  });

  describe('the pipeline', () => {
    const stages = () => (template.resource('Pipeline', 'AWS::CodePipeline::Pipeline').Properties as any).Stages as any[];

    it('runs Source, Build and Deploy in that order', () => {
      expect(stages().map((s) => s.Name)).to.deep.equal(['Source', 'Build', 'Deploy']);
    });

    it('fetches from GitHub or CodeCommit by condition', () => {
      const fetch = stages()[0].Actions[0];
      expect(fetch.ActionTypeId.Provider).to.deep.equal({ 'Fn::If': ['UseGitHub', 'GitHub', 'CodeCommit'] });
      expect(fetch.Configuration['Fn::If'][0]).to.equal('UseGitHub');
      expect(fetch.Configuration['Fn::If'][2]).to.deep.equal({ RepositoryName: { 'Fn::GetAtt': ['Repository', 'Name'] }, BranchName: { Ref: 'Branch' } });
    });

    it('creates then executes a change set on <build stack>-<branch>', () => {
      const [create, execute] = stages()[2].Actions;
      expect(create).to.deep.include({ Name: 'CreateChangeSet', RunOrder: 1 });
      expect(create.Configuration).to.deep.include({
        ActionMode: 'CHANGE_SET_REPLACE',
        StackName: { 'Fn::Sub': '${AWS::StackName}-${Branch}' },
        TemplatePath: 'Package::template.yaml',
        TemplateConfiguration: 'Package::template-config.json',
        Capabilities: 'CAPABILITY_IAM,CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND',
      });
      expect(execute).to.deep.include({ Name: 'ExecuteChangeSet', RunOrder: 2 });
      expect(execute.Configuration.ActionMode).to.equal('CHANGE_SET_EXECUTE');
      expect(execute.Configuration.ChangeSetName).to.deep.equal(create.Configuration.ChangeSetName);
    });
  });

  describe('outputs', () => {
    it('gives the repository URL of whichever source is used', () => {
      template.hasOutput('RepoURL', {
        Value: { 'Fn::If': ['UseGitHub', { 'Fn::Sub': 'https://github.com/${Owner}/${Repo}' }, { 'Fn::GetAtt': ['Repository', 'CloneUrlHttp'] }] },
      });
    });
  });
});

import { expect } from 'chai';
import { parse } from 'yaml';
import { boundaryStatements, grantedActions } from '../../src/stacks/boundary-policy';
import { servicesOf } from '../../src/stacks/deploy-role';
import { stacks } from '../../src/stacks';
import { TemplateAssertions, absent, arrayWith, objectLike, stringLike } from '../support/template';
import { hasTlsOnlyPolicy } from '../support/security';
import { originalIds } from './original';

type Json = Record<string, any>;

/** Every statement of a role's inline policies. */
const statementsOf = (role: Json): Json[] =>
  (role.Properties.Policies as Json[]).flatMap((p) =>
    (p.PolicyDocument.Statement as Json[]).flatMap((s) => (s['Fn::If'] ? s['Fn::If'].slice(1) : [s])),
  );
/** The services a role's trust policy names. */
const trustedBy = (role: Json): string[] =>
  role.Properties.AssumeRolePolicyDocument.Statement.flatMap((s: Json) => [s.Principal.Service].flat());
/** Every action a role's statements allow. */
const actionsOf = (role: Json): string[] => statementsOf(role).flatMap((s) => [s.Action].flat());

describe('build.yaml (the bootstrap stack)', () => {
  const template = TemplateAssertions.load('build.yaml');

  it('keeps every resource of the original and adds the split roles, the source rule, the bucket policy, the API logging setting and the permissions boundary', () => {
    expect(Object.keys(template.section('Resources'))).to.include.members(originalIds('build.yaml'));
    expect(
      Object.keys(template.section('Resources')).filter((id) => !originalIds('build.yaml').includes(id)),
    ).to.have.members([
      'BucketPolicy',
      'BuildRole',
      'PipelineRole',
      'SourceRuleRole',
      'SourceRule',
      'ApiGatewayLoggingRole',
      'ApiGatewayAccount',
      'PermissionsBoundary',
    ]);
  });

  describe('parameters', () => {
    it('declares the source parameters and no secret: the GitHub connection replaces the token, the task runner keys are gone', () => {
      template.hasParameter('Branch', { Type: 'String', Default: 'master' });
      template.hasParameter('Owner', { Default: '' });
      template.hasParameter('Repo', { Default: '' });
      template.hasParameter('ConnectionArn', { Default: '', AllowedPattern: stringLike('connection/') });
      template.hasParameter('ExistingRepository', { Default: '' });
      expect(Object.keys(template.section('Parameters'))).to.have.members([
        'Branch',
        'Owner',
        'Repo',
        'ConnectionArn',
        'ExistingRepository',
      ]);
    });

    it('groups and labels them for the console', () => {
      const iface = (template.json.Metadata as any)['AWS::CloudFormation::Interface'];
      expect(iface.ParameterGroups).to.deep.equal([
        {
          Label: { default: 'Source Location' },
          Parameters: ['Branch', 'Owner', 'Repo', 'ConnectionArn', 'ExistingRepository'],
        },
      ]);
      expect(Object.keys(iface.ParameterLabels)).to.have.members([
        'Branch',
        'Owner',
        'Repo',
        'ConnectionArn',
        'ExistingRepository',
      ]);
    });
  });

  describe('conditions', () => {
    it('uses GitHub only when owner, repository and connection are all given, CodeCommit otherwise', () => {
      template.hasCondition('RepoNameGiven', { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Repo' }, ''] }] });
      template.hasCondition('UseGitHub', {
        'Fn::And': [
          { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Owner' }, ''] }] },
          { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Repo' }, ''] }] },
          { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ConnectionArn' }, ''] }] },
        ],
      });
      template.hasCondition('UseCodeCommit', {
        'Fn::Or': [
          { 'Fn::Equals': [{ Ref: 'Owner' }, ''] },
          { 'Fn::Equals': [{ Ref: 'Repo' }, ''] },
          { 'Fn::Equals': [{ Ref: 'ConnectionArn' }, ''] },
        ],
      });
    });

    it('creates a CodeCommit repository only when no existing one is named', () => {
      template.hasCondition('CreateRepository', {
        'Fn::And': [{ Condition: 'UseCodeCommit' }, { 'Fn::Equals': [{ Ref: 'ExistingRepository' }, ''] }],
      });
    });
  });

  describe('source and artifacts', () => {
    it('keeps the artifact bucket, encrypted, versioned and closed to the public, when the stack is deleted', () => {
      template.hasResource('Bucket', 'AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: {
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
        },
      });
    });

    it('refuses every request to the artifact bucket that does not use TLS', () => {
      hasTlsOnlyPolicy(template, 'BucketPolicy', 'Bucket');
    });

    it('creates the CodeCommit repository only without GitHub and without an existing repository, named after the stack by default', () => {
      template.hasResource('Repository', 'AWS::CodeCommit::Repository', {
        Condition: 'CreateRepository',
        DeletionPolicy: 'Retain',
        Properties: { RepositoryName: { 'Fn::If': ['RepoNameGiven', { Ref: 'Repo' }, { Ref: 'AWS::StackName' }] } },
      });
    });
  });

  describe('the roles', () => {
    const roles = () => template.findResources('AWS::IAM::Role');

    it('trusts each role to its one service', () => {
      const trust = Object.fromEntries(Object.entries(roles()).map(([id, role]) => [id, trustedBy(role)]));
      expect(trust).to.deep.equal({
        Role: ['cloudformation.amazonaws.com'],
        BuildRole: ['codebuild.amazonaws.com'],
        PipelineRole: ['codepipeline.amazonaws.com'],
        SourceRuleRole: ['events.amazonaws.com'],
        ApiGatewayLoggingRole: ['apigateway.amazonaws.com'],
      });
    });

    it('grants no statement a whole service (service:*) or every action (*)', () => {
      for (const [id, role] of Object.entries(roles())) {
        const whole = Object.keys(role.Properties as Json).includes('Policies')
          ? actionsOf(role).filter((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a))
          : [];
        expect(whole, id).to.deep.equal([]);
      }
    });

    it('lets the build write its own logs and the artifacts and read the stack it deploys, nothing else: npm ci and npm test run third-party code under it', () => {
      const build = template.resource('BuildRole');
      expect(statementsOf(build).map((s) => [s.Sid, s.Action, s.Resource])).to.deep.equal([
        [
          'Logs',
          ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/codebuild/${AWS::StackName}-build:*',
          },
        ],
        ['Artifacts', ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], { 'Fn::Sub': '${Bucket.Arn}/*' }],
        ['ListArtifacts', ['s3:ListBucket', 's3:GetBucketLocation'], { 'Fn::GetAtt': ['Bucket', 'Arn'] }],
        [
          'ReadDeployedStack',
          [
            'cloudformation:DescribeStacks',
            'cloudformation:GetTemplate',
            'cloudformation:ListStackResources',
            'cloudformation:DescribeStackResource',
          ],
          {
            'Fn::Sub': [
              'arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${Var0}*/*',
              { Var0: { 'Fn::Sub': '${AWS::StackName}-${Branch}' } },
            ],
          },
        ],
      ]);
    });

    it('lets the pipeline start the build, change the one application stack, and pass the deploy role to CloudFormation only', () => {
      const statements = statementsOf(template.resource('PipelineRole'));
      const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
      expect(bySid.Build.Resource).to.deep.equal({
        'Fn::Sub': 'arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:project/${Build}',
      });
      expect(bySid.Deploy.Resource).to.deep.equal({
        'Fn::Sub': [
          'arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${Var0}/*',
          { Var0: { 'Fn::Sub': '${AWS::StackName}-${Branch}' } },
        ],
      });
      expect(bySid.PassDeployRole).to.deep.include({
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': ['Role', 'Arn'] },
      });
      expect(bySid.PassDeployRole.Condition).to.deep.equal({
        StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
      });
      expect(actionsOf(template.resource('PipelineRole')).filter((a) => a.startsWith('iam:'))).to.deep.equal([
        'iam:PassRole',
      ]);
    });

    it('lets the pipeline use the GitHub connection or read the CodeCommit repository, whichever is the source', () => {
      const source = (template.resource('PipelineRole').Properties as Json).Policies.find(
        (p: Json) => p.PolicyName === 'Source',
      );
      const [gitHub, codeCommit] = source.PolicyDocument.Statement[0]['Fn::If'].slice(1);
      expect(source.PolicyDocument.Statement[0]['Fn::If'][0]).to.equal('UseGitHub');
      expect(gitHub).to.deep.include({
        Action: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
        Resource: { Ref: 'ConnectionArn' },
      });
      expect(codeCommit.Action).to.include('codecommit:UploadArchive');
    });

    describe('the CloudFormation deploy role (Role)', () => {
      const statements = () => Object.fromEntries(statementsOf(template.resource('Role')).map((s) => [s.Sid, s]));
      const applicationTypes = () =>
        stacks
          .filter((s) => s.path !== 'build.yaml')
          .flatMap((s) =>
            Object.values(TemplateAssertions.load(s.path).section('Resources')).map((r) => String(r.Type)),
          );

      it('may act in every service the application templates create resources in, and in no other', () => {
        const services = servicesOf(applicationTypes()).filter(
          (s) => !['iam', 'cloudformation', 'route53'].includes(s),
        );
        const granted = [
          ...new Set((statements().ManageStackResources.Action as string[]).map((a) => a.split(':')[0])),
        ];
        expect(granted.sort()).to.deep.equal(services);
        expect(services).to.include.members([
          'lambda',
          'states',
          'glue',
          'firehose',
          'emr-serverless',
          'scheduler',
          'apigateway',
        ]);
      });

      it("holds the services it manages to the stack's own region", () => {
        expect(statements().ManageStackResources.Condition).to.deep.equal({
          StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } },
        });
      });

      it('manages and passes only the roles, instance profiles and policies named after the application stacks', () => {
        const named = (kind: string) => ({
          'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:${kind}/\${AWS::StackName}-*`,
        });
        expect(statements().StackRoles.Resource).to.deep.equal([
          named('role'),
          named('instance-profile'),
          named('policy'),
        ]);
        expect(statements().PassStackRoles).to.deep.include({ Action: 'iam:PassRole', Resource: named('role') });
        const iam = actionsOf(template.resource('Role')).filter((a) => a.startsWith('iam:'));
        expect(iam).not.to.include.members([
          'iam:CreateUser',
          'iam:CreateAccessKey',
          'iam:CreateLoginProfile',
          'iam:PutUserPolicy',
        ]);
      });

      it("creates nested stacks only under the application stacks' names, and reads the packaged artifacts without writing them", () => {
        expect(statements().NestedStacks.Resource[0]).to.deep.equal({
          'Fn::Sub':
            'arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${AWS::StackName}-*/*',
        });
        expect(statements().ReadArtifacts).to.deep.include({
          Action: ['s3:GetObject', 's3:GetObjectVersion'],
          Resource: { 'Fn::Sub': '${Bucket.Arn}/*' },
        });
      });

      it("may update the CloudFront distribution behind a custom domain, which API Gateway does in the caller's name", () => {
        // app.yaml's DomainName (DNS set up) is regional now; a stack deployed with the original's
        // edge-optimized one has a CloudFront distribution that the update to REGIONAL changes.
        const app = TemplateAssertions.load('templates-out/app.yaml');
        app.hasResourceProperties('AWS::ApiGateway::DomainName', { EndpointConfiguration: { Types: ['REGIONAL'] } });
        expect(statements().Dns.Action).to.include('cloudfront:UpdateDistribution');
      });

      it('gives a role rights only when it carries the permissions boundary, and never takes the boundary off or changes it', () => {
        const boundary = { Ref: 'PermissionsBoundary' };
        const role = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${AWS::StackName}-*' };
        expect(statements().StackRolesWithinBoundary).to.deep.equal({
          Effect: 'Allow',
          Sid: 'StackRolesWithinBoundary',
          Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:AttachRolePolicy', 'iam:PutRolePolicy'],
          Resource: role,
          Condition: { StringEquals: { 'iam:PermissionsBoundary': boundary } },
        });
        // No other statement allows them.
        const elsewhere = Object.values(statements() as Record<string, Json>)
          .filter((st) => st.Sid !== 'StackRolesWithinBoundary' && st.Effect === 'Allow')
          .flatMap((st) => [st.Action].flat() as string[]);
        for (const action of statements().StackRolesWithinBoundary.Action as string[])
          expect(elsewhere).to.not.include(action);
        expect(statements().KeepTheBoundary).to.deep.include({
          Effect: 'Deny',
          Action: ['iam:DeleteRolePermissionsBoundary'],
          Resource: role,
        });
        expect(statements().LeaveTheBoundaryAlone).to.deep.include({ Effect: 'Deny', Resource: boundary });
        expect(statements().LeaveTheBoundaryAlone.Action).to.include.members([
          'iam:CreatePolicyVersion',
          'iam:SetDefaultPolicyVersion',
          'iam:DeletePolicy',
        ]);
      });

      it('refuses to be built when a template uses a resource type whose service it does not know', () => {
        expect(() => servicesOf(['AWS::Lambda::Function', 'AWS::Bedrock::Agent'])).to.throw(
          'resource type AWS::Bedrock::Agent has no service in src/stacks/deploy-role.ts',
        );
      });
    });
  });

  describe('the permissions boundary (PermissionsBoundary)', () => {
    const document = () =>
      (template.resource('PermissionsBoundary', 'AWS::IAM::ManagedPolicy').Properties as Json).PolicyDocument;
    const allowed = () => (document().Statement as Json[]).flatMap((s) => [s.Action].flat() as string[]);
    /** Every action the application roles' own policies name. */
    const roleActions = () =>
      stacks
        .filter((s) => s.path !== 'build.yaml')
        .flatMap((s) => Object.values(TemplateAssertions.load(s.path).findResources('AWS::IAM::Role')))
        .flatMap((role) => (((role.Properties as Json).Policies ?? []).length ? actionsOf(role) : []));

    it("allows every service the application roles' policies use, so that the boundary takes nothing they need", () => {
      const services = new Set(
        roleActions()
          .map((a) => a.split(':')[0])
          .filter((s) => s !== 'iam'),
      );
      expect(allowed()).to.include.members([...services].map((s) => `${s}:*`));
      expect(allowed()).to.include.members(['states:*', 'redshift-data:*', 'emr-serverless:*', 'firehose:*', 'glue:*']);
    });

    it('allows the services of the AWS managed policies the legacy roles attach, those only a managed policy names included', () => {
      // Application Auto Scaling: EMR's service role (AmazonElasticMapReduceRole v10) scales the instance groups.
      expect(allowed()).to.include.members([
        'datapipeline:*',
        'elasticmapreduce:*',
        'sdb:*',
        'rds:*',
        'application-autoscaling:*',
      ]);
    });

    it('holds IAM to the reads and the role passing those roles do: no role it bounds can create or change a role or policy', () => {
      const iam = allowed().filter((a) => a.startsWith('iam:'));
      expect(iam).to.include('iam:PassRole');
      expect(iam).to.not.include.members(['iam:*']);
      for (const action of iam) expect(action).to.match(/^iam:(Get|List|PassRole|CreateServiceLinkedRole)/);
    });

    it('is derived from the templates: a managed policy it does not know fails the build', () => {
      expect(() =>
        grantedActions([
          {
            Resources: {
              Admin: {
                Type: 'AWS::IAM::Role',
                Properties: { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
              },
            },
          },
        ]),
      ).to.throw(
        'role Admin attaches arn:aws:iam::aws:policy/AdministratorAccess, which src/stacks/shared/iam.ts does not list',
      );
      expect(
        boundaryStatements(
          grantedActions([
            {
              Resources: {
                Reader: {
                  Type: 'AWS::IAM::Role',
                  Properties: {
                    Policies: [
                      {
                        PolicyDocument: {
                          Statement: [{ 'Fn::If': ['C', { Action: 's3:GetObject' }, { Action: ['iam:GetRole'] }] }],
                        },
                      },
                    ],
                  },
                },
              },
            },
          ]),
        ),
      ).to.deep.equal([
        { Sid: 'ServicesOfTheStacks', Action: ['s3:*'], Resource: '*' },
        { Sid: 'IamActionsOfTheStacks', Action: ['iam:GetRole'], Resource: '*' },
      ]);
    });

    it('refuses a role that attaches a deprecated AWS managed policy, naming it', () => {
      expect(() =>
        grantedActions([
          {
            Resources: {
              PipelineRole: {
                Type: 'AWS::IAM::Role',
                Properties: { ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSDataPipelineRole'] },
              },
            },
          },
        ]),
      ).to.throw(
        'role PipelineRole attaches arn:aws:iam::aws:policy/service-role/AWSDataPipelineRole, which AWS has deprecated',
      );
    });

    it("allows every service of the Data Pipeline role's own grants, and each IAM action of its role passing", () => {
      const app = TemplateAssertions.load('templates-out/app.yaml');
      const actions = [
        ...actionsOf(app.resource('PipelineRole')),
        ...((app.resource('PipelinePassRolePolicy').Properties as Json).PolicyDocument.Statement as Json[]).flatMap(
          (s) => [s.Action].flat() as string[],
        ),
      ];
      const services = new Set(actions.map((a) => a.split(':')[0]).filter((s) => s !== 'iam'));
      expect([...services].sort()).to.deep.equal(['dynamodb', 'ec2', 'elasticmapreduce', 'glue', 'redshift', 's3']);
      expect(allowed()).to.include.members([...services].map((s) => `${s}:*`));
      expect(allowed()).to.include.members(actions.filter((a) => a.startsWith('iam:')));
    });

    it('skips the scanner checks on over-broad grants, each with the reason: a boundary grants nothing', () => {
      const skips = (template.resource('PermissionsBoundary').Metadata as Json).checkov.skip as Json[];
      expect(skips.map((s) => s.id)).to.deep.equal([
        'CKV_AWS_107',
        'CKV_AWS_108',
        'CKV_AWS_109',
        'CKV_AWS_110',
        'CKV_AWS_111',
      ]);
      for (const s of skips) expect(s.comment).to.match(/^a permissions boundary grants nothing/);
    });
  });

  describe('the build project', () => {
    it('builds on a current standard image as the build role, with only the bucket and branch names in its environment', () => {
      template.hasResource('Build', 'AWS::CodeBuild::Project', {
        Properties: {
          Name: { 'Fn::Sub': '${AWS::StackName}-build' },
          ServiceRole: { 'Fn::GetAtt': ['BuildRole', 'Arn'] },
          Environment: objectLike({
            Image: 'aws/codebuild/standard:7.0',
            EnvironmentVariables: [
              { Type: 'PLAINTEXT', Name: 'BUCKET', Value: { Ref: 'Bucket' } },
              { Type: 'PLAINTEXT', Name: 'BRANCH', Value: { Ref: 'Branch' } },
              { Type: 'PLAINTEXT', Name: 'STACK', Value: { 'Fn::Sub': '${AWS::StackName}-${Branch}' } },
            ],
          }),
          Source: { Type: 'CODEPIPELINE', BuildSpec: stringLike('npm ci') },
          Artifacts: { Type: 'CODEPIPELINE' },
        },
      });
    });

    it('installs, tests and packages this project, handing template.yaml and template-config.json to the pipeline', () => {
      const spec = parse((template.resource('Build').Properties as any).Source.BuildSpec);
      expect(spec.phases.install['runtime-versions']).to.deep.equal({
        nodejs: '20',
        python: '3.11',
        java: 'corretto17',
      });
      expect(spec.phases.build.commands.slice(0, 3)).to.deep.equal([
        'npm ci --cache .npm-cache',
        'npm test',
        'npx dataless package --branch "$BRANCH" --bucket "$BUCKET" --out build-output',
      ]);
      expect(spec.cache.paths).to.deep.equal(['.npm-cache/**/*', '.venv/**/*']);
      expect(spec.artifacts).to.deep.equal({
        'base-directory': 'build-output',
        files: ['template.yaml', 'template-config.json', 'diff.md'],
      });
    });

    it('writes the markdown diff report against the stack it deploys as an artifact, or says that a first deploy has none', () => {
      const build = template.resource('Build').Properties as any;
      expect(build.Environment.EnvironmentVariables).to.deep.include({
        Type: 'PLAINTEXT',
        Name: 'STACK',
        Value: { 'Fn::Sub': '${AWS::StackName}-${Branch}' },
      });
      const commands = parse(build.Source.BuildSpec).phases.build.commands as string[];
      expect(commands.slice(3)).to.deep.equal([
        'if aws cloudformation describe-stacks --stack-name "$STACK" > /dev/null 2>&1; ' +
          'then npx dataless diff --stack-name "$STACK" --branch "$BRANCH" --format markdown > build-output/diff.md; ' +
          'else echo "First deploy of stack $STACK: every resource is new." > build-output/diff.md; fi',
      ]);
    });
  });

  describe('the pipeline', () => {
    const stages = () =>
      (template.resource('Pipeline', 'AWS::CodePipeline::Pipeline').Properties as any).Stages as any[];

    it('runs Source, Build and Deploy in that order, as the pipeline role', () => {
      expect(stages().map((s) => s.Name)).to.deep.equal(['Source', 'Build', 'Deploy']);
      template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
        RoleArn: { 'Fn::GetAtt': ['PipelineRole', 'Arn'] },
      });
    });

    it('fetches from GitHub through the CodeStar connection, or from CodeCommit without polling', () => {
      const fetch = stages()[0].Actions[0];
      expect(fetch.ActionTypeId).to.deep.equal({
        Category: 'Source',
        Owner: 'AWS',
        Provider: { 'Fn::If': ['UseGitHub', 'CodeStarSourceConnection', 'CodeCommit'] },
        Version: '1',
      });
      const [condition, gitHub, codeCommit] = fetch.Configuration['Fn::If'];
      expect(condition).to.equal('UseGitHub');
      expect(gitHub).to.deep.include({
        ConnectionArn: { Ref: 'ConnectionArn' },
        FullRepositoryId: { 'Fn::Sub': '${Owner}/${Repo}' },
        BranchName: { Ref: 'Branch' },
      });
      expect(gitHub).not.to.have.property('OAuthToken');
      expect(codeCommit).to.deep.equal({
        RepositoryName: {
          'Fn::If': ['CreateRepository', { 'Fn::GetAtt': ['Repository', 'Name'] }, { Ref: 'ExistingRepository' }],
        },
        BranchName: { Ref: 'Branch' },
        PollForSourceChanges: 'false',
      });
    });

    it('is started by an EventBridge rule on a push to the branch of the CodeCommit repository', () => {
      template.hasResource('SourceRule', 'AWS::Events::Rule', {
        Condition: 'UseCodeCommit',
        Properties: objectLike({
          EventPattern: {
            source: ['aws.codecommit'],
            'detail-type': ['CodeCommit Repository State Change'],
            resources: [objectLike({ 'Fn::If': arrayWith('CreateRepository') })],
            detail: {
              event: ['referenceCreated', 'referenceUpdated'],
              referenceType: ['branch'],
              referenceName: [{ Ref: 'Branch' }],
            },
          },
          Targets: [
            {
              Id: 'Pipeline',
              Arn: { 'Fn::Sub': 'arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}' },
              RoleArn: { 'Fn::GetAtt': ['SourceRuleRole', 'Arn'] },
            },
          ],
        }),
      });
      const start = statementsOf(template.resource('SourceRuleRole'));
      expect(start).to.deep.equal([
        {
          Effect: 'Allow',
          Action: 'codepipeline:StartPipelineExecution',
          Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}' },
        },
      ]);
    });

    it("creates then executes a change set on <build stack>-<branch> as the deploy role, passing the roles' permissions boundary over the branch's configuration", () => {
      const [create, execute] = stages()[2].Actions;
      expect(create).to.deep.include({ Name: 'CreateChangeSet', RunOrder: 1 });
      expect(create.Configuration).to.deep.include({
        ActionMode: 'CHANGE_SET_REPLACE',
        RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
        StackName: { 'Fn::Sub': '${AWS::StackName}-${Branch}' },
        TemplatePath: 'Package::template.yaml',
        TemplateConfiguration: 'Package::template-config.json',
        ParameterOverrides: { 'Fn::Sub': '{"PermissionsBoundaryArn": "${PermissionsBoundary}"}' },
        Capabilities: 'CAPABILITY_IAM,CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND',
      });
      expect(execute).to.deep.include({ Name: 'ExecuteChangeSet', RunOrder: 2 });
      expect(execute.Configuration.ActionMode).to.equal('CHANGE_SET_EXECUTE');
      expect(execute.Configuration.ChangeSetName).to.deep.equal(create.Configuration.ChangeSetName);
    });
  });

  describe('the API Gateway account setting', () => {
    it("names the role API Gateway writes the application's access logs with, once per account and region", () => {
      template.hasResource('ApiGatewayAccount', 'AWS::ApiGateway::Account', {
        Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': ['ApiGatewayLoggingRole', 'Arn'] } },
      });
      template.hasResource('ApiGatewayLoggingRole', 'AWS::IAM::Role', {
        Properties: objectLike({
          ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
          Policies: absent(),
        }),
      });
    });
  });

  describe('outputs', () => {
    it('gives the clone URL of whichever source is used', () => {
      template.hasOutput('RepoURL', {
        Value: {
          'Fn::If': [
            'UseGitHub',
            { 'Fn::Sub': 'https://github.com/${Owner}/${Repo}' },
            {
              'Fn::If': [
                'CreateRepository',
                { 'Fn::GetAtt': ['Repository', 'CloneUrlHttp'] },
                { 'Fn::Sub': 'https://git-codecommit.${AWS::Region}.${AWS::URLSuffix}/v1/repos/${ExistingRepository}' },
              ],
            },
          ],
        },
      });
    });
  });
});

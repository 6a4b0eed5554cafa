// The bootstrap stack (build.yaml): the source repository, the artifact
// bucket, the CodeBuild project that tests and packages this project, and the
// pipeline that deploys the packaged application stack per branch.
import { AWS, and, equals, fnIf, notEmpty, or, sub } from '../cfn/intrinsics';
import type { Template } from '../cfn/template';
import { toYamlDocument } from '../cfn/yaml';
import { BUILD_STACK, stacks } from '.';
import { boundaryStatements, grantedActions } from './boundary-policy';
import { deployStatements } from './deploy-role';
import { PUBLIC_ACCESS_BLOCKED, tlsOnlyPolicy } from './shared/buckets';
import { arnIn, inlinePolicy, managedPolicy, serviceTrust } from './shared/iam';
import type { SharedParameterName } from './shared/parameters';
import { NO_ACCESS_LOG_BUCKET } from './shared/scan';

/** The runtimes the build needs: Node.js for the CLI, Python for cfn-lint, moto and pyspark, Java for Spark. */
const BUILD_RUNTIMES = { nodejs: '20', python: '3.11', java: 'corretto17' };

/** The ids of the bootstrap stack that `dataless bootstrap`, deploy and status set or look up. */
export const BOOTSTRAP_IDS = {
  /** Parameters `dataless bootstrap` sets from its flags. */
  branch: 'Branch',
  owner: 'Owner',
  repo: 'Repo',
  connection: 'ConnectionArn',
  existingRepository: 'ExistingRepository',
  /** The artifact bucket, which deploy uploads packaged code to. */
  bucket: 'Bucket',
  /** The pipeline `dataless status` reports on. */
  pipeline: 'Pipeline',
  /** The output holding the source repository's clone URL. */
  repoUrl: 'RepoURL',
  /** The managed policy every role of the application stacks carries as its permissions boundary. */
  permissionsBoundary: 'PermissionsBoundary',
} as const;

/** The application's parameter that takes the boundary's ARN, which the deploy action fills in. */
const BOUNDARY_PARAMETER: SharedParameterName = 'PermissionsBoundaryArn';

/** Why checkov's findings on the boundary do not apply: it is a ceiling, not a grant. */
const BOUNDARY_IS_NO_GRANT =
  'a permissions boundary grants nothing: it caps the roles of the application stacks, whose own policies hold each to its actions and resources';

/** Where `dataless package` leaves the pipeline artifact inside the build. */
export const PACKAGE_DIR = 'build-output';

/** The markdown `dataless diff` report each build leaves beside the packaged template. */
export const DIFF_REPORT = 'diff.md';

/**
 * The CodeBuild buildspec: install, test, then package the branch's stack.
 * The artifact holds the packaged root template and its parameter file, which
 * the Deploy stage's change set reads, and the markdown diff report against
 * the deployed stack, so that each run shows what it is about to deploy.
 */
export function buildSpec(): string {
  return toYamlDocument({
    version: 0.2,
    phases: {
      install: { 'runtime-versions': BUILD_RUNTIMES },
      build: {
        commands: [
          // The npm cache lives in the source folder so that CodeBuild's cache keeps it between builds.
          'npm ci --cache .npm-cache',
          'npm test',
          `npx dataless package --branch "$BRANCH" --bucket "$BUCKET" --out ${PACKAGE_DIR}`,
          // What this run is about to deploy, against the deployed stack (which a first run has not created yet).
          'if aws cloudformation describe-stacks --stack-name "$STACK" > /dev/null 2>&1; ' +
            `then npx dataless diff --stack-name "$STACK" --branch "$BRANCH" --format markdown > ${PACKAGE_DIR}/${DIFF_REPORT}; ` +
            `else echo "First deploy of stack $STACK: every resource is new." > ${PACKAGE_DIR}/${DIFF_REPORT}; fi`,
        ],
      },
    },
    artifacts: {
      'base-directory': PACKAGE_DIR,
      files: ['template.yaml', 'template-config.json', DIFF_REPORT],
    },
    cache: { paths: ['.npm-cache/**/*', '.venv/**/*'] },
  });
}

/** The application templates the pipeline deploys, as CloudFormation JSON: the deploy role may create what they declare. */
function applicationTemplates(): Record<string, unknown>[] {
  return stacks.filter((stack) => stack !== BUILD_STACK).map((stack) => stack.build().toJSON());
}

/** The resource types the templates declare. */
function resourceTypes(templates: readonly Record<string, unknown>[]): string[] {
  const types = new Set<string>();
  for (const template of templates) {
    for (const resource of Object.values(template.Resources as Record<string, { Type: string }>))
      types.add(resource.Type);
  }
  return [...types].sort();
}

/** What follows the stack's name in the build project's name. */
const BUILD_NAME_SUFFIX = '-build';

export function buildTemplate(): Template {
  const t = BUILD_STACK.template({
    description:
      'Dataless bootstrap: source repository, artifact bucket, build project and the pipeline that deploys the application per branch',
  });

  const branch = t.parameter(BOOTSTRAP_IDS.branch, {
    type: 'String',
    default: 'master',
    description: 'The branch of the source repository to build',
    label: 'Branch to build',
    group: 'Source Location',
  });
  const owner = t.parameter(BOOTSTRAP_IDS.owner, {
    type: 'String',
    default: '',
    description: 'The owner of the GitHub repository (when building from GitHub)',
    label: 'GitHub repository owner',
    group: 'Source Location',
  });
  const repo = t.parameter(BOOTSTRAP_IDS.repo, {
    type: 'String',
    default: '',
    description:
      'The name of the repository; with CodeCommit and no ExistingRepository, the name of the repository this stack creates',
    label: 'GitHub or CodeCommit repository name',
    group: 'Source Location',
  });
  const connection = t.parameter(BOOTSTRAP_IDS.connection, {
    type: 'String',
    default: '',
    allowedPattern:
      '^$|^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/[A-Za-z0-9-]+$',
    constraintDescription: 'the ARN of a CodeStar (CodeConnections) connection, or empty',
    description:
      'The AWS CodeStar connection to GitHub the pipeline fetches the repository through (when building from GitHub); create it in the console, which asks GitHub to authorise it',
    label: 'GitHub connection ARN',
    group: 'Source Location',
  });
  const existingRepository = t.parameter(BOOTSTRAP_IDS.existingRepository, {
    type: 'String',
    default: '',
    description: 'The name of an existing CodeCommit repository to build from; empty: the stack creates one',
    label: 'Existing CodeCommit repository',
    group: 'Source Location',
  });

  const repoNameGiven = t.condition('RepoNameGiven', notEmpty(repo));
  const useGitHub = t.condition('UseGitHub', and(notEmpty(owner), notEmpty(repo), notEmpty(connection)));
  const useCodeCommit = t.condition('UseCodeCommit', or(equals(owner, ''), equals(repo, ''), equals(connection, '')));
  const createRepository = t.condition('CreateRepository', and(useCodeCommit, equals(existingRepository, '')));

  const bucket = t.resource(
    BOOTSTRAP_IDS.bucket,
    'AWS::S3::Bucket',
    {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: PUBLIC_ACCESS_BLOCKED,
    },
    {
      // Kept when the stack is deleted: it holds every build's artifacts.
      deletionPolicy: 'Retain',
      updateReplacePolicy: 'Retain',
      scanExceptions: NO_ACCESS_LOG_BUCKET,
    },
  );
  t.resource('BucketPolicy', 'AWS::S3::BucketPolicy', { Bucket: bucket, PolicyDocument: tlsOnlyPolicy(bucket) });

  const repository = t.resource(
    'Repository',
    'AWS::CodeCommit::Repository',
    { RepositoryName: fnIf(repoNameGiven, repo, AWS.StackName) },
    { condition: createRepository, deletionPolicy: 'Retain', updateReplacePolicy: 'Retain' },
  );
  const repositoryName = fnIf(createRepository, repository.getAtt('Name'), existingRepository);
  const codecommit = arnIn('codecommit');
  // cfn-lint resolves ExistingRepository to its empty default, which only ever reaches this ARN when CreateRepository does not hold.
  const repositoryArnException = {
    W1031:
      'the ARN names ExistingRepository only where CreateRepository is false, so only where ExistingRepository is given',
  };
  const repositoryArn = fnIf(
    createRepository,
    codecommit`${repository.getAtt('Name')}`,
    codecommit`${existingRepository}`,
  );

  const targetStack = sub`${AWS.StackName}-${branch}`;
  const buildName = sub`${AWS.StackName}${BUILD_NAME_SUFFIX}`;

  // Every role the application stacks create carries this boundary: the deploy role creates and grants to no other.
  const applications = applicationTemplates();
  const boundary = t.resource(
    BOOTSTRAP_IDS.permissionsBoundary,
    'AWS::IAM::ManagedPolicy',
    {
      Description: sub`The most any role of the application stacks of ${AWS.StackName} may do: the services their roles use`,
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: boundaryStatements(grantedActions(applications)).map((s) => ({ Effect: 'Allow', ...s })),
      },
    },
    {
      scanExceptions: Object.fromEntries(
        ['CKV_AWS_107', 'CKV_AWS_108', 'CKV_AWS_109', 'CKV_AWS_110', 'CKV_AWS_111'].map((check) => [
          check,
          BOUNDARY_IS_NO_GRANT,
        ]),
      ),
    },
  );

  // CloudFormation deploys the application stacks as this role: what the templates declare, and nothing else.
  const role = t.resource('Role', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: serviceTrust(['cloudformation']),
    Policies: [
      inlinePolicy(
        'DeployApplication',
        deployStatements(resourceTypes(applications), {
          stackName: AWS.StackName,
          artifactBucketArn: bucket.getAtt('Arn'),
          // Ref of a managed policy is its ARN.
          permissionsBoundary: boundary,
        }),
      ),
    ],
  });

  // CodeBuild runs third-party code (npm ci, npm test) under this role: it may write its logs and the artifacts,
  // and read the stack it deploys (for the diff report), nothing else.
  const buildRole = t.resource('BuildRole', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: serviceTrust(['codebuild']),
    Policies: [
      inlinePolicy('Build', [
        {
          Sid: 'Logs',
          Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: arnIn('logs')`log-group:/aws/codebuild/${AWS.StackName}${BUILD_NAME_SUFFIX}:*`,
        },
        {
          Sid: 'Artifacts',
          Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
          Resource: sub`${bucket.getAtt('Arn')}/*`,
        },
        // `dataless package` tells a missing object (404) from a forbidden one (403) by listing.
        { Sid: 'ListArtifacts', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: bucket.getAtt('Arn') },
        // `dataless diff --stack-name` reads the deployed stack and its nested stacks, which are named after it.
        {
          Sid: 'ReadDeployedStack',
          Action: [
            'cloudformation:DescribeStacks',
            'cloudformation:GetTemplate',
            'cloudformation:ListStackResources',
            'cloudformation:DescribeStackResource',
          ],
          Resource: arnIn('cloudformation')`stack/${targetStack}*/*`,
        },
      ]),
    ],
  });

  const build = t.resource('Build', 'AWS::CodeBuild::Project', {
    Name: buildName,
    ServiceRole: buildRole.getAtt('Arn'),
    Environment: {
      Type: 'LINUX_CONTAINER',
      ComputeType: 'BUILD_GENERAL1_SMALL',
      Image: 'aws/codebuild/standard:7.0',
      // Names only: nothing secret is in the build's environment.
      EnvironmentVariables: [
        { Type: 'PLAINTEXT', Name: 'BUCKET', Value: bucket },
        { Type: 'PLAINTEXT', Name: 'BRANCH', Value: branch },
        { Type: 'PLAINTEXT', Name: 'STACK', Value: targetStack },
      ],
    },
    Source: { Type: 'CODEPIPELINE', BuildSpec: buildSpec() },
    Artifacts: { Type: 'CODEPIPELINE' },
  });

  const pipelineRole = t.resource(
    'PipelineRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['codepipeline']),
      Policies: [
        inlinePolicy('Pipeline', [
          {
            Sid: 'Artifacts',
            Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
            Resource: sub`${bucket.getAtt('Arn')}/*`,
          },
          {
            Sid: 'ArtifactBucket',
            Action: ['s3:GetBucketVersioning', 's3:GetBucketLocation', 's3:ListBucket'],
            Resource: bucket.getAtt('Arn'),
          },
          {
            Sid: 'Build',
            Action: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds'],
            Resource: arnIn('codebuild')`project/${build}`,
          },
          {
            Sid: 'Deploy',
            Action: [
              'cloudformation:CreateChangeSet',
              'cloudformation:DescribeChangeSet',
              'cloudformation:ExecuteChangeSet',
              'cloudformation:DeleteChangeSet',
              'cloudformation:DescribeStacks',
            ],
            Resource: arnIn('cloudformation')`stack/${targetStack}/*`,
          },
          {
            Sid: 'PassDeployRole',
            Action: 'iam:PassRole',
            Resource: role.getAtt('Arn'),
            Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
          },
        ]),
        {
          PolicyName: 'Source',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              fnIf(
                useGitHub,
                {
                  Effect: 'Allow',
                  Action: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
                  Resource: connection,
                },
                {
                  Effect: 'Allow',
                  Action: [
                    'codecommit:GetBranch',
                    'codecommit:GetCommit',
                    'codecommit:UploadArchive',
                    'codecommit:GetUploadArchiveStatus',
                    'codecommit:CancelUploadArchive',
                  ],
                  Resource: repositoryArn,
                },
              ),
            ],
          },
        },
      ],
    },
    { lintExceptions: repositoryArnException },
  );

  const deployAction = (name: string, runOrder: number, configuration: Record<string, unknown>, inputs: boolean) => ({
    Name: name,
    RunOrder: runOrder,
    ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'CloudFormation', Version: '1' },
    Configuration: {
      ...configuration,
      RoleArn: role.getAtt('Arn'),
      StackName: targetStack,
      ChangeSetName: sub`${targetStack}-change-set`,
      Capabilities: 'CAPABILITY_IAM,CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND',
    },
    ...(inputs ? { InputArtifacts: [{ Name: 'Package' }] } : {}),
  });

  const pipeline = t.resource(BOOTSTRAP_IDS.pipeline, 'AWS::CodePipeline::Pipeline', {
    RoleArn: pipelineRole.getAtt('Arn'),
    ArtifactStore: { Type: 'S3', Location: bucket },
    Stages: [
      {
        Name: 'Source',
        Actions: [
          {
            Name: 'Fetch',
            RunOrder: 1,
            ActionTypeId: {
              Category: 'Source',
              Owner: 'AWS',
              Provider: fnIf(useGitHub, 'CodeStarSourceConnection', 'CodeCommit'),
              Version: '1',
            },
            Configuration: fnIf(
              useGitHub,
              // The connection starts the pipeline on a push to the branch.
              {
                ConnectionArn: connection,
                FullRepositoryId: sub`${owner}/${repo}`,
                BranchName: branch,
                OutputArtifactFormat: 'CODE_ZIP',
                DetectChanges: 'true',
              },
              // SourceRule starts it on a push; CodePipeline stops polling a repository after 30 days without a run.
              { RepositoryName: repositoryName, BranchName: branch, PollForSourceChanges: 'false' },
            ),
            OutputArtifacts: [{ Name: 'Source' }],
          },
        ],
      },
      {
        Name: 'Build',
        Actions: [
          {
            Name: 'Build',
            RunOrder: 1,
            ActionTypeId: { Category: 'Build', Owner: 'AWS', Provider: 'CodeBuild', Version: '1' },
            Configuration: { ProjectName: build },
            InputArtifacts: [{ Name: 'Source' }],
            OutputArtifacts: [{ Name: 'Package' }],
          },
        ],
      },
      {
        Name: 'Deploy',
        Actions: [
          deployAction(
            'CreateChangeSet',
            1,
            {
              ActionMode: 'CHANGE_SET_REPLACE',
              TemplatePath: 'Package::template.yaml',
              TemplateConfiguration: 'Package::template-config.json',
              // Over the branch's configuration: the deploy role creates roles only with this boundary.
              ParameterOverrides: sub`{"${BOUNDARY_PARAMETER}": "${boundary}"}`,
            },
            true,
          ),
          deployAction('ExecuteChangeSet', 2, { ActionMode: 'CHANGE_SET_EXECUTE' }, false),
        ],
      },
    ],
  });
  const pipelineArn = arnIn('codepipeline')`${pipeline}`;

  // A push to the branch of the CodeCommit repository starts the pipeline.
  const onCodeCommit = { condition: useCodeCommit };
  const sourceRuleRole = t.resource(
    'SourceRuleRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['events']),
      Policies: [
        inlinePolicy('StartPipeline', [{ Action: 'codepipeline:StartPipelineExecution', Resource: pipelineArn }]),
      ],
    },
    onCodeCommit,
  );
  t.resource(
    'SourceRule',
    'AWS::Events::Rule',
    {
      Description: sub`Starts ${pipeline} on a push to ${branch}`,
      EventPattern: {
        source: ['aws.codecommit'],
        'detail-type': ['CodeCommit Repository State Change'],
        resources: [repositoryArn],
        detail: { event: ['referenceCreated', 'referenceUpdated'], referenceType: ['branch'], referenceName: [branch] },
      },
      State: 'ENABLED',
      Targets: [{ Id: 'Pipeline', Arn: pipelineArn, RoleArn: sourceRuleRole.getAtt('Arn') }],
    },
    { ...onCodeCommit, lintExceptions: repositoryArnException },
  );

  // API Gateway writes the application's access logs through this account-wide setting; one per account and region, so here.
  const apiLoggingRole = t.resource('ApiGatewayLoggingRole', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: serviceTrust(['apigateway']),
    ManagedPolicyArns: [managedPolicy('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
  });
  t.resource('ApiGatewayAccount', 'AWS::ApiGateway::Account', { CloudWatchRoleArn: apiLoggingRole.getAtt('Arn') });

  t.output(BOOTSTRAP_IDS.repoUrl, {
    description: 'The HTTP clone URL of the source repository',
    value: fnIf(
      useGitHub,
      sub`https://github.com/${owner}/${repo}`,
      fnIf(
        createRepository,
        repository.getAtt('CloneUrlHttp'),
        sub`https://git-codecommit.${AWS.Region}.${AWS.URLSuffix}/v1/repos/${existingRepository}`,
      ),
    ),
  });

  return t;
}

// The bootstrap stack (build.yaml): the source repository, the artifact
// bucket, the CodeBuild project that tests and packages this project, and the
// pipeline that deploys the packaged application stack per branch.
import { AWS, and, equals, fnIf, notEmpty, or, sub } from '../cfn/intrinsics';
import type { Template } from '../cfn/template';
import { BUILD_STACK } from '.';
import { toYamlDocument } from '../cfn/yaml';
import { serviceTrust } from './shared/iam';

/** The runtimes the build needs: Node.js for the CLI, Python for cfn-lint, moto and pyspark, Java for Spark. */
const BUILD_RUNTIMES = { nodejs: '20', python: '3.11', java: 'corretto17' };

/** The ids of the bootstrap stack that `dataless bootstrap`, deploy and status set or look up. */
export const BOOTSTRAP_IDS = {
  /** Parameters `dataless bootstrap` sets from its flags. */
  branch: 'Branch',
  owner: 'Owner',
  repo: 'Repo',
  accessToken: 'AccessToken',
  /** The artifact bucket, which deploy uploads packaged code to. */
  bucket: 'Bucket',
  /** The pipeline `dataless status` reports on. */
  pipeline: 'Pipeline',
  /** The output holding the source repository's clone URL. */
  repoUrl: 'RepoURL',
} as const;

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
  return toYamlDocument(
    {
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
    },
  );
}

/** Services the deploy role is assumed by: the pipeline, the build and the stacks it deploys. */
const DEPLOY_SERVICES = [
  'cloudformation',
  'codebuild',
  'codepipeline',
];

/** What the deploy role may manage: every service the application stacks create resources in. */
const DEPLOY_ACTIONS = [
  'acm:*',
  'apigateway:*',
  'athena:*',
  'cloudformation:*',
  // An edge-optimized API Gateway domain name updates its CloudFront distribution with the caller's rights.
  'cloudfront:UpdateDistribution',
  'cloudwatch:*',
  'codebuild:*',
  'codecommit:*',
  'codedeploy:*',
  'codepipeline:*',
  'datapipeline:*',
  'dynamodb:*',
  'ec2:*',
  'elasticmapreduce:*',
  'emr-serverless:*',
  'events:*',
  'firehose:*',
  'glue:*',
  'iam:*',
  'kinesis:*',
  'kinesisanalytics:*',
  'kms:*',
  'lambda:*',
  'logs:*',
  'redshift:*',
  'redshift-data:*',
  'route53:*',
  's3:*',
  'scheduler:*',
  'secretsmanager:*',
  'serverlessrepo:*',
  'ssm:*',
  'states:*',
];

export function buildTemplate(): Template {
  const t = BUILD_STACK.template({
    description: 'Dataless bootstrap: source repository, artifact bucket, build project and the pipeline that deploys the application per branch',
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
    description: 'The name of the repository; with CodeCommit, the name of the repository this stack creates',
    label: 'GitHub or CodeCommit repository name',
    group: 'Source Location',
  });
  const accessToken = t.parameter(BOOTSTRAP_IDS.accessToken, {
    type: 'String',
    default: '',
    noEcho: true,
    description: 'The GitHub token used to fetch the source (when building from GitHub)',
    label: 'GitHub OAuth access token',
    group: 'Source Location',
  });
  const accessKeyId = t.parameter('AccessKeyID', {
    type: 'String',
    default: '',
    description: 'The AWS access key id the Data Pipeline task runner uses (legacy batch engine only)',
    label: 'AWS Access Key ID',
    group: 'Task Runner',
  });
  const secretAccessKey = t.parameter('SecretAccessKey', {
    type: 'String',
    default: '',
    noEcho: true,
    description: 'The AWS secret access key the Data Pipeline task runner uses (legacy batch engine only)',
    label: 'AWS Secret Access Key',
    group: 'Task Runner',
  });

  const repoNameGiven = t.condition('RepoNameGiven', notEmpty(repo));
  const useGitHub = t.condition('UseGitHub', and(notEmpty(owner), notEmpty(repo), notEmpty(accessToken)));
  const useCodeCommit = t.condition('UseCodeCommit', or(equals(owner, ''), equals(repo, ''), equals(accessToken, '')));

  const role = t.resource('Role', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: serviceTrust(DEPLOY_SERVICES),
    Policies: [
      {
        PolicyName: 'Bootstrap',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: [...DEPLOY_ACTIONS].sort(), Resource: '*' }],
        },
      },
    ],
  });

  const bucket = t.resource(
    BOOTSTRAP_IDS.bucket,
    'AWS::S3::Bucket',
    {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
    },
    // Kept when the stack is deleted: it holds every build's artifacts.
    { deletionPolicy: 'Retain', updateReplacePolicy: 'Retain' },
  );

  const repository = t.resource(
    'Repository',
    'AWS::CodeCommit::Repository',
    { RepositoryName: fnIf(repoNameGiven, repo, AWS.StackName) },
    { condition: useCodeCommit, deletionPolicy: 'Retain', updateReplacePolicy: 'Retain' },
  );

  const targetStack = sub`${AWS.StackName}-${branch}`;
  const build = t.resource('Build', 'AWS::CodeBuild::Project', {
    Name: sub`${AWS.StackName}-build`,
    ServiceRole: role.getAtt('Arn'),
    Environment: {
      Type: 'LINUX_CONTAINER',
      ComputeType: 'BUILD_GENERAL1_SMALL',
      Image: 'aws/codebuild/standard:7.0',
      EnvironmentVariables: [
        { Type: 'PLAINTEXT', Name: 'BUCKET', Value: bucket },
        { Type: 'PLAINTEXT', Name: 'BRANCH', Value: branch },
        { Type: 'PLAINTEXT', Name: 'STACK', Value: targetStack },
        { Type: 'PLAINTEXT', Name: 'ACCESS_KEY_ID', Value: accessKeyId },
        { Type: 'PLAINTEXT', Name: 'SECRET_ACCESS_KEY', Value: secretAccessKey },
      ],
    },
    Source: { Type: 'CODEPIPELINE', BuildSpec: buildSpec() },
    Artifacts: { Type: 'CODEPIPELINE' },
  });

  const changeSet = sub`${AWS.StackName}-${branch}-change-set`;
  const capabilities = 'CAPABILITY_IAM,CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND';
  const deployAction = (name: string, runOrder: number, configuration: Record<string, unknown>, inputs: boolean) => ({
    Name: name,
    RunOrder: runOrder,
    ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'CloudFormation', Version: '1' },
    Configuration: {
      ...configuration,
      RoleArn: role.getAtt('Arn'),
      StackName: targetStack,
      ChangeSetName: changeSet,
      Capabilities: capabilities,
    },
    ...(inputs ? { InputArtifacts: [{ Name: 'Package' }] } : {}),
  });

  t.resource(BOOTSTRAP_IDS.pipeline, 'AWS::CodePipeline::Pipeline', {
    RoleArn: role.getAtt('Arn'),
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
              Owner: fnIf(useGitHub, 'ThirdParty', 'AWS'),
              Provider: fnIf(useGitHub, 'GitHub', 'CodeCommit'),
              Version: '1',
            },
            Configuration: fnIf(
              useGitHub,
              { Owner: owner, Repo: repo, OAuthToken: accessToken, Branch: branch },
              { RepositoryName: repository.getAtt('Name'), BranchName: branch },
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
            },
            true,
          ),
          deployAction('ExecuteChangeSet', 2, { ActionMode: 'CHANGE_SET_EXECUTE' }, false),
        ],
      },
    ],
  });

  t.output(BOOTSTRAP_IDS.repoUrl, {
    description: 'The HTTP clone URL of the source repository',
    value: fnIf(useGitHub, sub`https://github.com/${owner}/${repo}`, repository.getAtt('CloneUrlHttp')),
  });

  return t;
}

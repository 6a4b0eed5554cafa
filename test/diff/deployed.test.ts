// `dataless diff --stack-name/--branch` against stacks deployed to moto's
// CloudFormation (a nested AWS::CloudFormation::Stack included), then against
// a mocked client for the application's own shape: moto's CloudFormation runs
// no SAM transform, so it creates no AWS::Serverless::Application stack and
// no function from a packaged CodeUri.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { sdkClients, type AwsClients } from '../../src/aws/clients';
import { ASSETS_METADATA } from '../../src/cfn/assets';
import { report as exitStatus } from '../../src/cli/main';
import { runAndPresent } from '../../src/cli/present';
import { toYaml } from '../../src/cfn/yaml';
import { diff, formatDiff, type DiffOptions, type DiffPresentation } from '../../src/diff';
import { memoryIO } from '../../src/io';
import { motoClientSettings } from '../../src/local/moto';
import { useScriptedClients } from '../aws/mocks';
import { useMoto } from '../support/moto';

/** A small application template: a bucket and a role that reads it. */
function appTemplate(actions: string[] = ['s3:GetObject']): Record<string, unknown> {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: { Stage: { Type: 'String', Default: 'Prod' } },
    Resources: {
      Store: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'dataless-diff-store' } },
      Reader: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [
            {
              PolicyName: 'Read',
              PolicyDocument: {
                Statement: [{ Effect: 'Allow', Action: actions, Resource: { 'Fn::Sub': 'arn:aws:s3:::${Store}/*' } }],
              },
            },
          ],
        },
      },
    },
  };
}

describe('dataless diff (against a deployed stack)', () => {
  let root: string;
  const writeApp = (template: Record<string, unknown>) =>
    writeFileSync(join(root, 'templates-out', 'app.yaml'), toYaml(template));
  /** The AWS clients the command is given: the suite's moto, or the SDK's for the mocked client. */
  let aws: AwsClients;
  /** Runs the action and presents its report as the CLI does (as JSON unless told), with the suite's AWS clients. */
  const run = async ({ format = 'json', ...options }: Partial<DiffOptions> & DiffPresentation) => {
    const io = memoryIO({ aws });
    let code = 0;
    try {
      await runAndPresent(io, () => diff({ root, ...options }, io), {
        text: (result) => formatDiff(result, { format }),
      });
    } catch (error) {
      code = exitStatus(error, io, false);
    }
    return { code, stdout: io.stdout, stderr: io.stderr };
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dataless-diff-deployed-'));
    mkdirSync(join(root, 'templates-out'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('on moto', () => {
    // The command is given clients pointed at the server; the environment is left alone.
    const moto = useMoto();
    let cfn: CloudFormationClient;
    beforeEach(async () => {
      await moto.server.reset();
      aws = sdkClients(motoClientSettings(moto.server.endpoint));
      cfn = aws.cloudFormation();
    });
    afterEach(() => cfn.destroy());
    const deployApp = async () => {
      await cfn.send(
        new CreateStackCommand({
          StackName: 'app',
          TemplateBody: toYaml(appTemplate()),
          Capabilities: ['CAPABILITY_IAM'],
        }),
      );
    };

    it('reports no difference right after the deploy', async () => {
      writeApp(appTemplate());
      await deployApp();
      const { code, stdout } = await run({ stackName: 'app', format: 'text' });
      expect(code).to.equal(0);
      expect(stdout).to.equal('no differences from stack app\n');
    });

    it('reports a change made to the templates after the deploy', async () => {
      // given a deployed stack, and then a broader role and a renamed bucket in the working tree
      writeApp(appTemplate());
      await deployApp();
      const changed = appTemplate(['s3:*']) as { Resources: { Store: { Properties: Record<string, unknown> } } };
      changed.Resources.Store.Properties.BucketName = 'dataless-diff-store-2';
      writeApp(changed);
      // when
      const { code, stdout } = await run({ stackName: 'app' });
      // then
      expect(code).to.equal(0);
      const json = JSON.parse(stdout);
      expect(json.stacks.map((s: { path: string; template: string }) => [s.path, s.template])).to.deep.equal([
        ['app', 'templates-out/app.yaml'],
      ]);
      expect(
        json.stacks[0].resources.map((r: { logicalId: string; replacement: string; dataLoss: boolean }) => [
          r.logicalId,
          r.replacement,
          r.dataLoss,
        ]),
      ).to.deep.equal([
        ['Store', 'always', true],
        ['Reader', 'never', false],
      ]);
      expect(json.summary).to.deep.include({ broadening: 1, dataLoss: 1 });
    });

    it("reports the branch config's parameter values against the stack's current ones", async () => {
      // given the stack of branch feature deployed with Stage Prod, and the branch config now saying Staging
      writeApp(appTemplate());
      await cfn.send(
        new CreateStackCommand({
          StackName: 'dataless-feature',
          TemplateBody: toYaml(appTemplate()),
          Capabilities: ['CAPABILITY_IAM'],
        }),
      );
      mkdirSync(join(root, 'config'));
      writeFileSync(join(root, 'config', 'feature.json'), '{"Parameters": {"Stage": "Staging"}}\n');
      // when
      const json = JSON.parse((await run({ branch: 'feature' })).stdout);
      // then
      expect(json.stacks).to.have.length(1);
      expect(json.stacks[0].parameters).to.deep.equal([
        { name: 'Stage', change: 'modify', properties: [{ path: 'Value', old: 'Prod', new: 'Staging' }] },
      ]);
      expect(json.stacks[0].resources).to.deep.equal([]);
    });

    it('follows a nested stack through its resource and reports a change made to the nested template after the deploy', async () => {
      // given a root stack whose nested stack's template moto reads from its own S3
      const nested = (visibility: number) => ({
        Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: visibility } } },
      });
      const s3 = aws.s3();
      try {
        await s3.send(new CreateBucketCommand({ Bucket: 'dataless-diff-templates' }));
        await s3.send(
          new PutObjectCommand({ Bucket: 'dataless-diff-templates', Key: 'nested.yaml', Body: toYaml(nested(30)) }),
        );
      } finally {
        s3.destroy();
      }
      const rootTemplate = (url: string) => ({
        Resources: { Queues: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: url } } },
      });
      await cfn.send(
        new CreateStackCommand({
          StackName: 'app',
          TemplateBody: toYaml(rootTemplate('https://dataless-diff-templates.s3.amazonaws.com/nested.yaml')),
        }),
      );
      // and a working tree whose nested template has a longer visibility timeout
      writeApp(rootTemplate('./nested.yaml'));
      writeFileSync(join(root, 'templates-out', 'nested.yaml'), toYaml(nested(60)));
      // when
      const json = JSON.parse((await run({ stackName: 'app' })).stdout);
      // then the nested stack's change is reported under its path, and the packaged template URL is not a change
      expect(json.stacks.map((s: { path: string; template: string }) => [s.path, s.template])).to.deep.equal([
        ['app/Queues', 'templates-out/nested.yaml'],
      ]);
      expect(json.stacks[0].resources).to.deep.equal([
        {
          logicalId: 'Queue',
          type: 'AWS::SQS::Queue',
          change: 'modify',
          replacement: 'never',
          properties: [{ path: 'Properties.VisibilityTimeout', old: 30, new: 60, replacement: 'never' }],
          dataLoss: false,
        },
      ]);
    });

    it('exits 2 for a stack that does not exist', async () => {
      writeApp(appTemplate());
      const { code, stderr } = await run({ stackName: 'missing' });
      expect(code).to.equal(2);
      expect(stderr).to.match(/^error: stack missing does not exist in us-east-1: name a deployed stack/);
    });
  });

  describe('with SAM nested applications and packaged code (mocked CloudFormation)', () => {
    // Clients stubbed on their instances, given to the command: nothing leaves the process while they are scripted.
    const scripted = useScriptedClients();
    before(() => {
      aws = scripted.aws;
    });
    const cfn = {
      get stub() {
        return scripted.stub('cloudFormation');
      },
    };
    const ROOT_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1';
    const NESTED_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app-Service-ABC/2';

    /**
     * The service: a SAM function whose code is the bundle at `code` (a local path, or its packaged S3 address once
     * deployed), and which lists `assets` as its file assets, as every generated template lists its own.
     */
    const service = (memory: number, code: string, assets: string[] = ['dist/capture.zip']) => ({
      Transform: 'AWS::Serverless-2016-10-31',
      Metadata: { [ASSETS_METADATA]: { Files: assets } },
      Resources: {
        Capture: {
          Type: 'AWS::Serverless::Function',
          Properties: { CodeUri: code, Handler: 'index.handler', Runtime: 'nodejs22.x', MemorySize: memory },
        },
      },
    });
    const rootTemplate = (location: string) => ({
      Transform: 'AWS::Serverless-2016-10-31',
      Parameters: { Stage: { Type: 'String', Default: 'Prod' } },
      Resources: { Service: { Type: 'AWS::Serverless::Application', Properties: { Location: location } } },
    });

    beforeEach(() => {
      cfn.stub.on(DescribeStacksCommand, { StackName: 'app' }).resolves({
        Stacks: [
          {
            StackName: 'app',
            StackId: ROOT_ID,
            StackStatus: 'UPDATE_COMPLETE',
            CreationTime: new Date(),
            Parameters: [{ ParameterKey: 'Stage', ParameterValue: 'Prod' }],
          },
        ],
      });
      cfn.stub.on(GetTemplateCommand, { StackName: ROOT_ID }).resolves({
        TemplateBody: JSON.stringify(rootTemplate('https://bucket.s3.us-east-1.amazonaws.com/templates/0123.yaml')),
      });
      cfn.stub.on(DescribeStackResourceCommand, { StackName: ROOT_ID, LogicalResourceId: 'Service' }).resolves({
        StackResourceDetail: {
          LogicalResourceId: 'Service',
          PhysicalResourceId: NESTED_ID,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'UPDATE_COMPLETE',
          LastUpdatedTimestamp: new Date(),
        },
      });
    });

    it('follows the nested stacks through their resources and reports a change made after the deploy, packaged addresses aside', async () => {
      // given a deployed nested function with 128 MB whose bundle is the local one, and 256 MB in the working tree
      mkdirSync(join(root, 'dist'));
      writeFileSync(join(root, 'dist', 'capture.zip'), 'bundle bytes');
      const digest = (await import('node:crypto')).createHash('sha256').update('bundle bytes').digest('hex');
      cfn.stub
        .on(GetTemplateCommand, { StackName: NESTED_ID })
        .resolves({ TemplateBody: toYaml(service(128, `s3://bucket/artifacts/${digest}.zip`)) });
      writeApp(rootTemplate('./service.yaml'));
      writeFileSync(join(root, 'templates-out', 'service.yaml'), toYaml(service(256, '../dist/capture.zip')));
      // when
      const { code, stdout } = await run({ stackName: 'app' });
      // then only the memory differs: the nested location and the same bundle are not changes
      expect(code).to.equal(0);
      const json = JSON.parse(stdout);
      expect(json.stacks).to.deep.equal([
        {
          path: 'app/Service',
          template: 'templates-out/service.yaml',
          resources: [
            {
              logicalId: 'Capture',
              type: 'AWS::Serverless::Function',
              change: 'modify',
              replacement: 'never',
              properties: [{ path: 'Properties.MemorySize', old: 128, new: 256, replacement: 'never' }],
              dataLoss: false,
            },
          ],
          security: [],
          parameters: [],
          outputs: [],
        },
      ]);
      expect(cfn.stub.commandCalls(GetTemplateCommand).map((c) => c.args[0].input)).to.deep.equal([
        { StackName: ROOT_ID, TemplateStage: 'Original' },
        { StackName: NESTED_ID, TemplateStage: 'Original' },
      ]);
    });

    it('takes a value for a packaged artifact only where the template lists the file among its assets', async () => {
      // given a deployed bundle whose content is the local file's, and a working tree whose template lists no assets
      mkdirSync(join(root, 'dist'));
      writeFileSync(join(root, 'dist', 'capture.zip'), 'bundle bytes');
      const digest = (await import('node:crypto')).createHash('sha256').update('bundle bytes').digest('hex');
      const packaged = `s3://bucket/artifacts/${digest}.zip`;
      cfn.stub
        .on(GetTemplateCommand, { StackName: NESTED_ID })
        .resolves({ TemplateBody: toYaml(service(128, packaged, [])) });
      writeApp(rootTemplate('./service.yaml'));
      writeFileSync(join(root, 'templates-out', 'service.yaml'), toYaml(service(128, '../dist/capture.zip', [])));
      // when
      const json = JSON.parse((await run({ stackName: 'app' })).stdout);
      // then the code location is a change: only a listed asset is uploaded by packaging, so only it is aligned
      expect(json.stacks[0].resources[0].properties).to.deep.equal([
        { path: 'Properties.CodeUri', old: packaged, new: '../dist/capture.zip', replacement: 'never' },
      ]);
    });

    it('reports a bundle whose content changed since the deploy', async () => {
      mkdirSync(join(root, 'dist'));
      writeFileSync(join(root, 'dist', 'capture.zip'), 'new bundle bytes');
      cfn.stub
        .on(GetTemplateCommand, { StackName: NESTED_ID })
        .resolves({ TemplateBody: toYaml(service(128, 's3://bucket/artifacts/0000.zip')) });
      writeApp(rootTemplate('./service.yaml'));
      writeFileSync(join(root, 'templates-out', 'service.yaml'), toYaml(service(128, '../dist/capture.zip')));
      const json = JSON.parse((await run({ stackName: 'app' })).stdout);
      expect(json.stacks[0].resources[0].properties).to.deep.equal([
        {
          path: 'Properties.CodeUri',
          old: 's3://bucket/artifacts/0000.zip',
          new: '../dist/capture.zip',
          replacement: 'never',
        },
      ]);
    });
  });
});

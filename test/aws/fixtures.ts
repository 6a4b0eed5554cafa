// Templates that the tests deploy to moto, and the moto CloudFormation they deploy to.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeployOptions } from '../../src/aws/deploy';
import { useMoto, type MotoServer } from '../support/moto';

/** A stack moto's CloudFormation creates: a queue and a bucket, one NoEcho parameter (moto spots no-op updates only when parameters are passed). */
export function fixtureTemplate(extraOutputs = ''): string {
  return [
    'Parameters:',
    '  Greeting: {Type: String, NoEcho: true, Default: hello}',
    'Resources:',
    '  Queue:',
    '    Type: AWS::SQS::Queue',
    '  Store:',
    '    Type: AWS::S3::Bucket',
    'Outputs:',
    '  QueueUrl: {Value: !Ref Queue}',
    extraOutputs,
  ].join('\n');
}

/**
 * A local CloudFormation for the suite: a moto server with the AWS SDK
 * environment pointed at it, emptied before each test, and a client on it.
 */
export function useLocalCloudFormation(): { readonly server: MotoServer; readonly cfn: CloudFormationClient } {
  const moto = useMoto({ env: true });
  let cfn: CloudFormationClient | undefined;
  beforeEach(async () => {
    await moto.server.reset();
    cfn = new CloudFormationClient({});
  });
  afterEach(() => {
    cfn?.destroy();
    cfn = undefined;
  });
  return {
    get server(): MotoServer {
      return moto.server;
    },
    get cfn(): CloudFormationClient {
      if (!cfn)
        throw new Error(
          'the CloudFormation client is only available inside tests of the suite that called useLocalCloudFormation()',
        );
      return cfn;
    },
  };
}

/**
 * The fixture template written to a fresh folder before each test (removed
 * after it), and deploy options that deploy it as the stack `fixture` with
 * short polling intervals.
 */
export function useFixtureDeployment(): {
  readonly template: string;
  readonly options: (overrides?: Partial<DeployOptions>) => DeployOptions;
} {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dataless-deploy-'));
    writeFileSync(join(dir, 'fixture.yaml'), fixtureTemplate());
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  return {
    get template(): string {
      return join(dir, 'fixture.yaml');
    },
    options: (overrides = {}) => ({
      root: dir,
      template: join(dir, 'fixture.yaml'),
      stackName: 'fixture',
      yes: true,
      pollIntervalMs: 10,
      changeSetBackoff: { initialMs: 10 },
      ...overrides,
    }),
  };
}

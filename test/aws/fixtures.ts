// Templates that the tests deploy to moto, and the moto they deploy to.
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsClients } from '../../src/aws/clients';
import type { DeployOptions } from '../../src/aws/deploy';
import { useMoto, type MotoServer } from '../support/moto';
import { localClients } from './mocks';

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

/** A local AWS for the suite: a moto server, clients on it for the IO host, and a CloudFormation client to look with. */
export interface LocalAws {
  readonly server: MotoServer;
  /** The provider to pass in the IO host (`memoryIO({ aws })`): the SDK's clients on the moto server. */
  readonly aws: AwsClients;
  /** A CloudFormation client on the server, for the test's own calls. */
  readonly cfn: CloudFormationClient;
}

/**
 * A moto server for the suite, emptied before each test; the action reaches
 * it through the clients of `aws`, handed over in its IO host. Nothing
 * global changes: process.env is left alone.
 */
export function useLocalAws(): LocalAws {
  const moto = useMoto();
  let cfn: CloudFormationClient | undefined;
  let aws: AwsClients | undefined;
  beforeEach(async () => {
    await moto.server.reset();
    aws = localClients(moto.server.endpoint);
    cfn = aws.cloudFormation();
  });
  afterEach(() => {
    cfn?.destroy();
    cfn = undefined;
  });
  const only = (what: string) =>
    new Error(`${what} is only available inside tests of the suite that called useLocalAws()`);
  return {
    get server(): MotoServer {
      return moto.server;
    },
    get aws(): AwsClients {
      if (!aws) throw only('the provider');
      return aws;
    },
    get cfn(): CloudFormationClient {
      if (!cfn) throw only('the CloudFormation client');
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

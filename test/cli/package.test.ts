import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { sdkClients } from '../../src/aws/clients';
import { MOTO_CREDENTIALS } from '../../src/local/moto';
import { setEnv } from '../support/moto';
import { useLocalAws } from '../aws/fixtures';
import { useCountingEndpoint } from '../aws/mocks';
import { run, runWith } from './run';

describe('dataless package', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'dataless-package-cli-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  describe('against a local S3', () => {
    const local = useLocalAws();
    /** `dataless ...args` with clients on moto. */
    const dataless = (...args: string[]) => runWith({ aws: local.aws }, ...args);
    beforeEach(async () => {
      const s3 = local.aws.s3();
      await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
      s3.destroy();
    });

    it("uploads the repository's artifacts once and nothing the second time", async () => {
      const first = await dataless('package', '--branch', 'master', '--bucket', 'artifacts', '--out', out, '--json');
      const second = await dataless('package', '--branch', 'master', '--bucket', 'artifacts', '--out', out, '--json');

      expect(first.code, first.io.stderr).to.equal(0);
      expect(second.code, second.io.stderr).to.equal(0);
      const a = JSON.parse(first.io.stdout);
      const b = JSON.parse(second.io.stdout);
      expect(a.uploaded).to.be.greaterThan(0);
      expect(a.bytes).to.be.greaterThan(0);
      expect(b).to.deep.equal({ uploaded: 0, skipped: a.uploaded, bytes: 0, template: join(out, 'template.yaml') });
      expect(second.io.stderr).to.contain(`package: 0 uploaded (0 bytes), ${a.uploaded} already there`);
    });

    it('writes the packaged template and its parameter file, printing the template path without --json', async () => {
      const { code, io } = await dataless(
        'package',
        '--branch',
        'master',
        '--bucket',
        'artifacts',
        '--out',
        out,
        '--build-id',
        'b-42',
        '--source-version',
        'abc123',
      );
      expect(code, io.stderr).to.equal(0);
      expect(io.stdout).to.equal(`${join(out, 'template.yaml')}\n`);
      const config = JSON.parse(readFileSync(join(out, 'template-config.json'), 'utf8'));
      expect(config.Parameters).to.include({
        Build: 'b-42',
        SourceVersion: 'abc123',
        CodeBucket: 'artifacts',
        CodePipeline: 'manual',
      });
    });
  });

  describe('refusals', () => {
    const counter = useCountingEndpoint();

    it('stops at a branch without a config, with exit status 2, before any AWS call', async () => {
      const { code, io } = await runWith(
        { aws: counter.aws },
        'package',
        '--branch',
        'no-such-branch',
        '--bucket',
        'artifacts',
        '--out',
        out,
      );
      expect(code).to.equal(2);
      expect(io.stderr).to.match(
        /^error: config\/no-such-branch\.json does not exist \(the branches with a config are .*master/,
      );
      expect(counter.requests).to.equal(0);
    });

    it('says how to set a region when the SDK configuration has none', async () => {
      // What is tested is the SDK's own region lookup (AWS_REGION, then the profile), so the clients are given
      // no region and the environment it reads is emptied of one for the test.
      const noRegion = sdkClients({ endpoint: counter.endpoint, credentials: MOTO_CREDENTIALS, env: {} });
      const undo = setEnv({
        AWS_REGION: undefined,
        AWS_DEFAULT_REGION: undefined,
        AWS_CONFIG_FILE: join(out, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(out, 'no-credentials'),
      });
      try {
        const { code, io } = await runWith(
          { aws: noRegion },
          'package',
          '--branch',
          'master',
          '--bucket',
          'artifacts',
          '--out',
          out,
        );
        expect(code).to.equal(2);
        expect(io.stderr).to.equal(
          'error: no AWS region configured: set AWS_REGION, or choose a profile that has a region with AWS_PROFILE\n',
        );
        expect(counter.requests).to.equal(0);
      } finally {
        undo();
      }
    });

    it('requires a bucket', async () => {
      const { code, io } = await run('package', '--branch', 'master');
      expect(code).to.equal(2);
      expect(io.stderr).to.contain("required option '--bucket <bucket>' not specified");
    });
  });
});

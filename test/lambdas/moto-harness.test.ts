import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import http from 'node:http';
import os from 'node:os';
import { motoEnvironment, setEnv, startMoto } from '../support/moto';

function answers(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    http.get(`${endpoint}/moto-api/`, (res) => resolve((res.resume(), true))).on('error', () => resolve(false));
  });
}

describe('moto test harness', function () {
  this.timeout(60_000);

  it('names the setup script when moto_server is not installed', async function () {
    const error = await startMoto({ root: os.tmpdir() }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error?.message).to.contain('moto server not found at .venv/bin/moto_server');
    expect(error?.message).to.contain('bash scripts/setup-python.sh');
  });

  it('serves on loopback, forgets resources on reset, and is gone after stop', async function () {
    const moto = await startMoto();
    const s3 = new S3Client({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      forcePathStyle: true,
    });
    try {
      expect(moto.endpoint).to.equal(`http://127.0.0.1:${moto.port}`);
      await s3.send(new CreateBucketCommand({ Bucket: 'kept-until-reset' }));
      expect((await s3.send(new ListBucketsCommand({}))).Buckets).to.have.length(1);

      await moto.reset();

      expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).to.have.length(0);
    } finally {
      s3.destroy();
      await moto.stop();
    }
    expect(await answers(moto.endpoint)).to.equal(false);
    await moto.stop();
  });

  it('changes the environment only when asked, and restores it', function () {
    const before = { ...process.env };

    const restore = setEnv(motoEnvironment('http://127.0.0.1:1'));
    const during = process.env.AWS_ENDPOINT_URL;
    restore();

    expect(during).to.equal('http://127.0.0.1:1');
    expect(process.env).to.deep.equal(before);
  });
});

import { expect } from 'chai';
import { s3Client, sdkClients } from '../../src/aws/clients';

describe('AWS clients', () => {
  describe('s3Client', () => {
    const pathStyle = (env: NodeJS.ProcessEnv) => {
      const client = s3Client({ region: 'us-east-1', env });
      try {
        return client.config.forcePathStyle;
      } finally {
        client.destroy();
      }
    };

    it('addresses buckets by path when AWS_ENDPOINT_URL overrides every endpoint', () => {
      expect(pathStyle({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' })).to.equal(true);
    });

    it('addresses buckets by path when AWS_ENDPOINT_URL_S3 overrides the S3 endpoint alone', () => {
      expect(pathStyle({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:5000' })).to.equal(true);
    });

    it('keeps virtual-hosted addressing without an override', () => {
      expect(pathStyle({})).to.equal(false);
    });
  });

  describe('sdkClients, the provider an IO host carries', () => {
    it("gives each client the provider's defaults under the call's own settings", async () => {
      const aws = sdkClients({
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:9',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
      });
      const inDefaultRegion = aws.cloudFormation();
      const elsewhere = aws.stepFunctions({ region: 'us-west-2', endpoint: undefined });
      try {
        expect(await inDefaultRegion.config.region()).to.equal('eu-west-1');
        expect((await inDefaultRegion.config.credentials()).accessKeyId).to.equal('AKIDEXAMPLE');
        expect(await elsewhere.config.region()).to.equal('us-west-2', "the call's region wins");
        const endpoint = await elsewhere.config.endpoint?.();
        expect(endpoint?.hostname).to.equal('127.0.0.1', 'an undefined setting does not hide the default');
      } finally {
        inDefaultRegion.destroy();
        elsewhere.destroy();
      }
    });

    it('addresses S3 by path when its default endpoint overrides the service', () => {
      const client = sdkClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', env: {} }).s3();
      try {
        expect(client.config.forcePathStyle).to.equal(true);
      } finally {
        client.destroy();
      }
    });
  });
});

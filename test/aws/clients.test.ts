import { expect } from 'chai';
import { s3Client } from '../../src/aws/clients';

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
});

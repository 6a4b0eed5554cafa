import { expect } from 'chai';
import { templateSource, INLINE_TEMPLATE_LIMIT, URL_TEMPLATE_LIMIT } from '../../../src/aws/deploy/template';
import { TemplateError } from '../../../src/errors';
import { memoryIO } from '../../../src/io';
import { failure } from '../../support/failure';

describe('templateSource', () => {
  const noS3 = () => {
    throw new Error('no S3 client may be created');
  };

  it('passes a template within the inline limit as its text', async () => {
    const body = `Resources: {}\n${'#'.repeat(INLINE_TEMPLATE_LIMIT - 20)}\n`;
    expect(await templateSource({ body, name: 'small.yaml', region: 'us-east-1', s3: noS3 }, memoryIO())).to.deep.equal(
      { body },
    );
  });

  it('refuses a template over the size CloudFormation reads from S3, before uploading it', async () => {
    const body = `Resources: {}\nMetadata:\n  Padding: ${'x'.repeat(URL_TEMPLATE_LIMIT)}\n`;
    const error = await failure(
      templateSource({ body, name: 'huge.yaml', bucket: 'artifacts', region: 'us-east-1', s3: noS3 }, memoryIO()),
    );
    expect(error).to.be.instanceOf(TemplateError);
    expect(error.message).to.equal(
      `huge.yaml is ${Buffer.byteLength(body)} bytes, over the ${URL_TEMPLATE_LIMIT}-byte limit of a template CloudFormation reads from S3: split it into nested stacks`,
    );
  });
});

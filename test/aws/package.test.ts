import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { packageApp, type PackageOptions } from '../../src/aws/package';
import { parseTemplate } from '../../src/cfn/yaml';
import { memoryIO } from '../../src/io';
import { failure } from '../support/failure';
import { useMoto } from '../support/moto';
import { localClients } from './mocks';

const write = (root: string, path: string, content: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};

/** A small repository: a root template with a nested application, whose assets are a function bundle and a job script. */
function fixtureRepository(): string {
  const root = mkdtempSync(join(tmpdir(), 'dataless-package-'));
  write(
    root,
    'templates-out/app.yaml',
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Parameters:',
      '  CodeBucket: {Type: String}',
      '  CodePrefix: {Type: String}',
      '  Build: {Type: String}',
      '  Stage: {Type: String, Default: Prod}',
      'Resources:',
      '  Service:',
      '    Type: AWS::Serverless::Application',
      '    Properties:',
      '      Location: ./advertising/service.yaml',
      '      Parameters: {CodeBucket: !Ref CodeBucket, CodePrefix: !Ref CodePrefix}',
      '',
    ].join('\n'),
  );
  write(
    root,
    'templates-out/advertising/service.yaml',
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Metadata:',
      '  Dataless::Assets: {CodePrefix: [jobs/glue/etl.py], Files: [dist/lambdas/fn.zip]}',
      'Parameters:',
      '  CodeBucket: {Type: String}',
      '  CodePrefix: {Type: String}',
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: {Runtime: nodejs22.x, Handler: index.handler, CodeUri: ../../dist/lambdas/fn.zip}',
      '  Job:',
      '    Type: AWS::Glue::Job',
      '    Properties:',
      '      Role: r',
      '      Command: {Name: glueetl, ScriptLocation: !Sub "s3://${CodeBucket}/${CodePrefix}/jobs/glue/etl.py"}',
      '',
    ].join('\n'),
  );
  write(root, 'dist/lambdas/fn.zip', 'zip bytes');
  write(root, 'jobs/glue/etl.py', 'print("etl")\n');
  return root;
}

describe('dataless package (against a local S3)', () => {
  const moto = useMoto();
  let root: string;
  let options: PackageOptions;

  beforeEach(async () => {
    await moto.server.reset();
    root = fixtureRepository();
    const s3 = localClients(moto.server.endpoint).s3();
    await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
    options = {
      root,
      bucket: 'artifacts',
      prefix: 'dataless/master',
      outDir: join(root, '.dataless', 'package'),
      region: 'us-east-1',
      parameters: { Stage: 'Beta', Unknown: 'not declared by the template' },
      build: { CodePipeline: 'manual', BuildRegion: 'us-east-1', SourceVersion: 'abc123', Build: 'b-1' },
      s3,
    };
  });
  afterEach(() => {
    options.s3.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('uploads the bundle, the job script and the nested template under content-hash keys', async () => {
    const result = await packageApp(options, memoryIO());
    expect(result.uploaded).to.equal(3);
    expect(result.skipped).to.equal(0);
    const listed = await options.s3.send(new ListObjectsV2Command({ Bucket: 'artifacts' }));
    const keys = (listed.Contents ?? []).map((o) => o.Key).sort();
    expect(keys).to.have.length(3);
    expect(keys.some((k) => /^dataless\/master\/artifacts\/[0-9a-f]{64}\.zip$/.test(k!))).to.equal(true);
    expect(keys.some((k) => /^dataless\/master\/templates\/[0-9a-f]{64}\.yaml$/.test(k!))).to.equal(true);
    expect(keys).to.include(`${result.codePrefix}/jobs/glue/etl.py`);
  });

  it('uploads nothing the second time', async () => {
    await packageApp(options, memoryIO());
    const second = await packageApp(options, memoryIO());
    expect(second).to.include({ uploaded: 0, skipped: 3, bytes: 0 });
  });

  it('rewrites local references to objects that exist', async () => {
    const result = await packageApp(options, memoryIO());
    const root = parseTemplate(readFileSync(result.template, 'utf8'), 'template.yaml') as any;
    const location: string = root.Resources.Service.Properties.Location;
    expect(location).to.match(
      /^https:\/\/artifacts\.s3\.us-east-1\.amazonaws\.com\/dataless\/master\/templates\/[0-9a-f]{64}\.yaml$/,
    );
    const nestedKey = location.slice('https://artifacts.s3.us-east-1.amazonaws.com/'.length);
    const nested = await options.s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: nestedKey }));
    const service = parseTemplate(await nested.Body!.transformToString(), 'service.yaml') as any;
    const codeUri: string = service.Resources.Fn.Properties.CodeUri;
    expect(codeUri).to.match(/^s3:\/\/artifacts\/dataless\/master\/artifacts\/[0-9a-f]{64}\.zip$/);
    const zip = await options.s3.send(
      new GetObjectCommand({ Bucket: 'artifacts', Key: codeUri.slice('s3://artifacts/'.length) }),
    );
    expect(await zip.Body!.transformToString()).to.equal('zip bytes');
  });

  it("points nested templates at the S3 URL of the bucket's region and partition", async () => {
    const result = await packageApp({ ...options, region: 'cn-north-1' }, memoryIO());
    const root = parseTemplate(readFileSync(result.template, 'utf8'), 'template.yaml') as any;
    expect(root.Resources.Service.Properties.Location).to.match(
      /^https:\/\/artifacts\.s3\.cn-north-1\.amazonaws\.com\.cn\/dataless\/master\/templates\/[0-9a-f]{64}\.yaml$/,
    );
  });

  it('writes template-config.json with the branch and build parameters the template declares', async () => {
    const result = await packageApp(options, memoryIO());
    const config = JSON.parse(readFileSync(result.templateConfig, 'utf8'));
    expect(config).to.deep.equal({
      Parameters: { Build: 'b-1', CodeBucket: 'artifacts', CodePrefix: result.codePrefix, Stage: 'Beta' },
    });
  });

  it('keeps the code prefix while the code is unchanged and moves it when a script changes', async () => {
    const first = await packageApp(options, memoryIO());
    const again = await packageApp(options, memoryIO());
    write(root, 'jobs/glue/etl.py', 'print("etl v2")\n');
    const changed = await packageApp(options, memoryIO());
    expect(again.codePrefix).to.equal(first.codePrefix);
    expect(changed.codePrefix).not.to.equal(first.codePrefix);
    expect(changed.uploaded).to.equal(1);
  });

  it('names the template and the missing file when a bundle has not been built', async () => {
    rmSync(join(root, 'dist'), { recursive: true });
    const error = await failure(packageApp(options, memoryIO()));
    expect(error.message).to.equal(
      'templates-out/advertising/service.yaml has the asset dist/lambdas/fn.zip, which does not exist (run `npm run build` to build the Lambda bundles)',
    );
  });

  it('refuses a nested template too large for CloudFormation to read from S3, naming it, and uploads no template', async () => {
    const service = join(root, 'templates-out/advertising/service.yaml');
    writeFileSync(service, `${readFileSync(service, 'utf8')}Description: ${'x'.repeat(1_000_000)}\n`);
    const error = await failure(packageApp(options, memoryIO()));
    expect(error.message).to.match(
      /^templates-out\/advertising\/service\.yaml \(packaged\) is \d+ bytes, over the 1000000-byte limit of a template CloudFormation reads from S3/,
    );
    const listed = await options.s3.send(
      new ListObjectsV2Command({ Bucket: 'artifacts', Prefix: 'dataless/master/templates/' }),
    );
    expect(listed.Contents ?? []).to.deep.equal([]);
  });

  it('names a job script that a template has as an asset but the repository lacks, and uploads nothing', async () => {
    rmSync(join(root, 'jobs'), { recursive: true });
    const error = await failure(packageApp(options, memoryIO()));
    expect(error.message).to.equal(
      'templates-out/advertising/service.yaml has the asset jobs/glue/etl.py, which does not exist',
    );
    const listed = await options.s3.send(new ListObjectsV2Command({ Bucket: 'artifacts' }));
    expect(listed.Contents ?? []).to.deep.equal([]);
  });

  it('uploads only what the templates list as assets, whatever else their text mentions', async () => {
    write(root, 'jobs/glue/other.py', 'print("other")\n');
    const service = join(root, 'templates-out/advertising/service.yaml');
    writeFileSync(
      service,
      `${readFileSync(service, 'utf8')}Outputs:\n  Other: {Value: !Sub "s3://\${CodeBucket}/\${CodePrefix}/jobs/glue/other.py"}\n`,
    );
    const result = await packageApp(options, memoryIO());
    const listed = await options.s3.send(
      new ListObjectsV2Command({ Bucket: 'artifacts', Prefix: `${result.codePrefix}/` }),
    );
    expect((listed.Contents ?? []).map((o) => o.Key)).to.deep.equal([`${result.codePrefix}/jobs/glue/etl.py`]);
  });

  it('wraps an AWS failure with what it was doing and the service message', async () => {
    const error = await failure(packageApp({ ...options, bucket: 'no-such-bucket' }, memoryIO()));
    expect(error.message).to.match(/s3:\/\/no-such-bucket\/.*NoSuchBucket/);
  });
});

// What package and deploy refuse before any AWS call: a bad branch config,
// committed templates that the code no longer generates, missing bundles.
// The IO host's clients are scripted only to count calls (there must be none).
import { expect } from 'chai';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deploy } from '../../src/aws/deploy';
import { packageBranch } from '../../src/aws/package-branch';
import { checkLocalArtifacts } from '../../src/aws/preflight';
import { ConfigError, TemplateError, ValidationError } from '../../src/errors';
import { memoryIO } from '../../src/io';
import { projectRoot } from '../../src/paths';
import { generate, type GeneratedFile } from '../../src/synth';
import { failure } from '../support/failure';
import { useScriptedClients } from './mocks';

const write = (root: string, path: string, content: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};

describe('checks before packaging and deploying', () => {
  const scripted = useScriptedClients();
  const scriptedIO = () => memoryIO({ aws: scripted.aws });
  let root: string;
  let generated: GeneratedFile[];
  before(() => (generated = generate()));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dataless-preflight-'));
    for (const file of generated) write(root, file.path, file.content);
    write(root, 'config/dev.json', JSON.stringify({ Parameters: { DeploymentPreference: 'AllAtOnce' } }));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    expect(scripted.stub('s3').calls(), 'S3 calls').to.have.length(0);
    expect(scripted.stub('cloudFormation').calls(), 'CloudFormation calls').to.have.length(0);
  });

  it('stops package at a config problem, with exit status 2', async () => {
    write(root, 'config/dev.json', JSON.stringify({ Parameters: { NoSuchParameter: 'x' } }));
    const error = await failure(packageBranch({ root, branch: 'dev', bucket: 'b' }, scriptedIO()));
    expect(error).to.be.instanceOf(ConfigError).with.property('exitCode', 2);
    expect(error.message).to.contain('config/dev.json');
    expect(error.message).to.contain('NoSuchParameter');
  });

  it('stops deploy at a missing config, naming the branches that have one', async () => {
    const error = await failure(deploy({ root, branch: 'prod', bucket: 'b', yes: true }, scriptedIO()));
    expect(error).to.be.instanceOf(ConfigError).with.property('code', 'CONFIG_MISSING');
    expect(error.message).to.contain('config/prod.json does not exist (the branches with a config are dev)');
  });

  it('stops deploy of a template file at a config problem of the branch given', async () => {
    write(root, 'config/dev.json', '{"Parameters": {"DeploymentPreference": 3}}');
    write(root, 'fixture.yaml', 'Resources:\n  Q: {Type: AWS::SQS::Queue}\n');
    const error = await failure(
      deploy({ root, branch: 'dev', template: join(root, 'fixture.yaml'), stackName: 'x', yes: true }, scriptedIO()),
    );
    expect(error).to.be.instanceOf(ConfigError);
  });

  it('refuses committed templates that the code does not generate, naming them', async () => {
    const target = generated.find((f) => f.path.startsWith('templates-out/'))!;
    write(root, target.path, `${target.content}# edited by hand\n`);
    rmSync(join(root, 'build.yaml'));
    const error = await failure(packageBranch({ root, branch: 'dev', bucket: 'b' }, scriptedIO()));
    expect(error).to.be.instanceOf(ValidationError).with.property('code', 'SYNTH_STALE');
    expect(error.message).to.contain(`${target.path} is stale`);
    expect(error.message).to.contain('build.yaml is missing');
    expect(error.message).to.contain('run `npx dataless synth`');
  });

  it('lists every Lambda bundle that has not been built, saying how to build them', async () => {
    // Given the repository's job and bootstrap scripts, but no bundles
    for (const dir of ['jobs', 'scripts']) cpSync(join(projectRoot(), dir), join(root, dir), { recursive: true });
    const error = await failure(packageBranch({ root, branch: 'dev', bucket: 'b' }, scriptedIO()));
    expect(error).to.be.instanceOf(TemplateError).with.property('code', 'ARTIFACT_MISSING');
    expect(error.message).to.match(
      /^4 files the templates point at are missing: (dist\/lambdas\/[a-z-]+\.zip \(templates-out\/[^)]+\)(, |;))+/,
    );
    expect(error.message).to.match(/; run `npm ci` \(or `npm run build`\) to build the Lambda bundles$/);
  });
});

describe('checkLocalArtifacts', () => {
  // Given a template whose assets are a bundle and a job script
  const template = {
    path: 'templates-out/app.yaml',
    content: [
      'Metadata:',
      '  Dataless::Assets: {CodePrefix: [jobs/glue/etl.py], Files: [dist/fn.zip]}',
      'Resources:',
      '  A: {Type: AWS::Serverless::Function, Properties: {CodeUri: ../dist/fn.zip}}',
      '  B: {Type: AWS::Serverless::Function, Properties: {CodeUri: s3://bucket/key.zip}}',
      '',
    ].join('\n'),
  };

  it('accepts templates whose assets all exist', () => {
    const root = mkdtempSync(join(tmpdir(), 'dataless-artifacts-'));
    try {
      write(root, 'dist/fn.zip', 'zip');
      write(root, 'jobs/glue/etl.py', 'print()');
      expect(() => checkLocalArtifacts(root, [template])).not.to.throw();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names a missing job script as well as a missing bundle', () => {
    const root = mkdtempSync(join(tmpdir(), 'dataless-artifacts-'));
    try {
      expect(() => checkLocalArtifacts(root, [template])).to.throw(
        '2 files the templates point at are missing: dist/fn.zip (templates-out/app.yaml), jobs/glue/etl.py (templates-out/app.yaml)',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TemplateError } from '../../src/errors';
import { Warehouse } from '../../src/local/template/warehouse';
import { buildBundles } from '../lambdas/bundles';
import { thrown } from '../support/failure';

const ROOT = resolve(__dirname, '..', '..');
const SERVICE = join('templates-out', 'advertising', 'service.yaml');
const PIPELINE = join('templates-out', 'advertising', 'pipeline.yaml');

const open = (root = ROOT) => Warehouse.open(root, { DeploymentPreference: 'AllAtOnce' }, 'us-east-1');

/** A copy of the generated templates (and links to the bundles) in which `edit` changed one file. */
function editedCopy(file: string, edit: (text: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), 'dataless-local-'));
  cpSync(join(ROOT, 'templates-out'), join(root, 'templates-out'), { recursive: true });
  symlinkSync(join(ROOT, 'dist'), join(root, 'dist'));
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after, 'the edit must change the template').to.not.equal(before);
  writeFileSync(path, after);
  return root;
}

describe('local: reading the generated templates', function () {
  this.timeout(60_000);
  const copies: string[] = [];
  before(() => buildBundles());
  after(() => copies.forEach((root) => rmSync(root, { recursive: true, force: true })));
  const copy = (file: string, edit: (text: string) => string) => {
    const root = editedCopy(file, edit);
    copies.push(root);
    return root;
  };

  it('binds each route of the API definition to the bundle of the function it integrates with', () => {
    // when the APIs are read
    const [api] = open().apis();

    // then the traffic route runs the get-ad-traffic bundle's handler
    const route = api!.routes.find((r) => r.method === 'GET' && r.path === '/traffic/{ad-id}');
    expect(route?.function.logicalId).to.equal('QueryAdTrafficTableLambda');
    expect(route?.function.module).to.equal(join(ROOT, 'dist', 'lambdas', 'get-ad-traffic', 'index.js'));
    expect(route?.function.exportName).to.equal('handler');
    expect(api!.routes.map((r) => `${r.method} ${r.path}`)).to.have.members([
      'POST /impressions',
      'POST /clicks',
      'GET /traffic/{ad-id}',
    ]);
  });

  it("resolves a function's environment variables to the local resources, across nested stacks", () => {
    // given the stream and table the stacks create locally
    const warehouse = open();
    const stream = warehouse.deliveryStreams().find((s) => s.logicalId === 'ImpressionsDeliveryStream')!;
    const table = warehouse.keyValueTables().find((t) => t.logicalId === 'AdTrafficTable')!;

    // when the capture function's environment is read
    const route = warehouse.apis()[0]!.routes.find((r) => r.path === '/impressions')!;

    // then Globals and the function's own variables are merged, each resolved
    expect(route.function.environment.IMPRESSIONS_DELIVERY_STREAM_NAME).to.equal(stream.name);
    expect(route.function.environment.AD_TRAFFIC_TABLE_NAME).to.equal(table.name);
    expect(route.function.environment.CAPTURE_METRICS).to.equal('emf');
  });

  it('reads a delivery stream prefix, compression and buffering from the template, so a changed prefix changes the local run', () => {
    // given the impressions prefix changed in the service template
    const root = copy(SERVICE, (text) =>
      text.replace('Prefix: data/raw/ad/impressions/', 'Prefix: data/raw/elsewhere/'),
    );

    // when the streams are read
    const stream = open(root)
      .deliveryStreams()
      .find((s) => s.logicalId === 'ImpressionsDeliveryStream')!;

    // then the local run uses the new prefix, with the declared compression and buffering
    expect(stream).to.include({
      prefix: 'data/raw/elsewhere/',
      compression: 'GZIP',
      bufferSeconds: 900,
      bufferMegabytes: 128,
    });
  });

  it("reads the ad traffic table's key schema from the template", () => {
    // given the range key renamed in the pipeline template
    const root = copy(PIPELINE, (text) =>
      text.replace(/AttributeName: day\n(\s+)KeyType: RANGE/, 'AttributeName: date\n$1KeyType: RANGE'),
    );

    // when the tables are read
    const table = open(root)
      .keyValueTables()
      .find((t) => t.logicalId === 'AdTrafficTable')!;

    // then the key schema is the template's
    expect(table.keySchema).to.deep.equal([
      { AttributeName: 'ad_id', KeyType: 'HASH' },
      { AttributeName: 'date', KeyType: 'RANGE' },
    ]);
  });

  it('applies the state machine definition substitutions the template declares', () => {
    // when the batch state machine is read
    const [machine] = open().stateMachines();

    // then no substitution is left and the job code points at the local code bucket
    const text = JSON.stringify(machine!.definition);
    expect(text).to.not.match(/\$\{(CodeBucket|CodePrefix|BucketName|Database|AdTrafficTable)\}/);
    expect(text).to.include('s3://dataless-local-code/local/jobs/hive/load_ad_traffic_table.hql');
  });

  it('refuses a delivery stream that declares no prefix, naming the template and the stream', () => {
    // given a service template whose impressions stream lost its prefix
    const root = copy(SERVICE, (text) => text.replace(/\n\s+Prefix: data\/raw\/ad\/impressions\//, ''));

    // when the streams are read
    const error = thrown(() => open(root).deliveryStreams());

    // then the error says which template and stream lack it
    expect(error).to.be.instanceOf(TemplateError);
    expect(error.message).to.equal(`${SERVICE}: ImpressionsDeliveryStream declares no Prefix`);
  });

  it('refuses a route whose bundle has not been built, saying to build it', () => {
    // given templates whose functions point at a bundle folder that does not exist
    const root = copy(SERVICE, (text) =>
      text.replace('../../dist/lambdas/get-ad-traffic.zip', '../../dist/lambdas/not-built.zip'),
    );

    // when the APIs are read
    const error = thrown(() => open(root).apis());

    // then the error names the missing bundle and the command that builds it
    expect(error.message).to.equal(
      'the bundle of QueryAdTrafficTableLambda is missing (dist/lambdas/not-built/index.js); run `npm run build`',
    );
  });
});

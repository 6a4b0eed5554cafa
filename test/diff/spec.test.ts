import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareTrees } from '../../src/diff/compare';
import { fromSpecification } from '../../src/diff/spec';
import { changed, generatedTrees, PIPELINE, stackOf } from './trees';

describe('diff: the service specification facts', () => {
  it("draws each type's replacing properties, statefulness and scrutiny from the specification", () => {
    const facts = fromSpecification();
    expect(facts['AWS::DynamoDB::Table']).to.deep.include({ isStateful: true });
    expect(facts['AWS::DynamoDB::Table']!.properties.KeySchema).to.deep.equal({ causesReplacement: 'yes' });
    expect(facts['AWS::DynamoDB::Table']!.properties.BillingMode).to.deep.equal({});
    expect(facts['AWS::IAM::Role']!.properties.Policies).to.deep.equal({ scrutinizable: 'InlineIdentityPolicies' });
    expect(facts['AWS::Lambda::Permission']).to.deep.include({ scrutinizable: 'LambdaPermission' });
    expect(facts['AWS::Glue::Crawler']).not.to.have.property('isStateful');
  });

  it('caches the facts under the cache folder, keyed by the specification version, and answers the same from the cache', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'dataless-spec-'));
    try {
      const trees = await generatedTrees();
      const after = changed(trees, PIPELINE, (t) => {
        t.Resources.AdTrafficTable.Properties.KeySchema[0].AttributeName = 'ad';
      });
      const first = compareTrees(trees, after, { cacheDir });
      const version = (
        JSON.parse(readFileSync(require.resolve('@aws-cdk/aws-service-spec/package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
      expect(readdirSync(cacheDir)).to.deep.equal([`aws-service-spec-${version}.json`]);
      const cached = JSON.parse(readFileSync(join(cacheDir, `aws-service-spec-${version}.json`), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(cached['AWS::S3::Bucket']).to.deep.equal(fromSpecification()['AWS::S3::Bucket']);
      expect(stackOf(first, PIPELINE).resources[0]).to.include({ replacement: 'always', dataLoss: true });
      expect(compareTrees(trees, after, { cacheDir })).to.deep.equal(first);
      expect(existsSync(join(cacheDir, `aws-service-spec-${version}.json`))).to.equal(true);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

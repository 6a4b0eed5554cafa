import { expect } from 'chai';
import { ASSETS_METADATA, assetsOf } from '../../src/cfn/assets';
import { Template } from '../../src/cfn/template';
import { TemplateError } from '../../src/errors';

const newTemplate = () =>
  new Template({ description: 'test', source: 'test/assets.ts', path: 'out/nested/child.yaml', sam: true });

describe('assets', () => {
  it('gives a code asset its S3 address, its key and its path, and lists each once in the template', () => {
    // Given a template with a code location
    const t = newTemplate();
    const code = t.assets.codeAt({
      bucket: t.parameter('CodeBucket', { type: 'String', description: 'b' }),
      prefix: t.parameter('CodePrefix', { type: 'String', description: 'p' }),
    });
    // When scripts are used through it, one of them twice
    t.output('Url', { value: code.url('jobs/glue/etl.py') });
    t.output('Key', { value: code.key('jobs/redshift/load.sql') });
    t.output('Path', { value: `\${CodePrefix}/${code.path('jobs/glue/etl.py')}` });
    // Then each is where packaging puts it, and the template lists them sorted
    const json = t.toJSON();
    expect(json.Outputs).to.deep.include({
      Url: { Value: { 'Fn::Sub': 's3://${CodeBucket}/${CodePrefix}/jobs/glue/etl.py' } },
      Key: { Value: { 'Fn::Sub': '${CodePrefix}/jobs/redshift/load.sql' } },
    });
    expect(assetsOf(json)).to.deep.equal({ CodePrefix: ['jobs/glue/etl.py', 'jobs/redshift/load.sql'], Files: [] });
  });

  it('gives a file asset its path relative to the template, for the property that points at it', () => {
    const t = newTemplate();
    t.resource('Fn', 'AWS::Serverless::Function', {
      CodeUri: t.assets.file('dist/lambdas/fn.zip'),
      Handler: 'index.handler',
    });
    const json = t.toJSON();
    expect(json).to.have.nested.property('Resources.Fn.Properties.CodeUri', '../../dist/lambdas/fn.zip');
    expect(json.Metadata).to.deep.equal({ [ASSETS_METADATA]: { Files: ['dist/lambdas/fn.zip'] } });
  });

  it('writes no asset list for a template without assets', () => {
    expect(newTemplate().toJSON()).not.to.have.property('Metadata');
  });

  it('refuses a path that is not a repository file', () => {
    const t = newTemplate();
    for (const bad of ['/etc/passwd', '../outside.py', 'jobs/../x.py', 'jobs/glue/', 'jobs/with space.py']) {
      expect(() => t.assets.file(bad), bad).to.throw(TemplateError, /must be a repository-relative file path/);
    }
  });

  it('refuses a file asset in a template declared without its path', () => {
    const t = new Template({ description: 'test', source: 'test/pathless.ts' });
    expect(() => t.assets.file('dist/lambdas/fn.zip')).to.throw(
      TemplateError,
      /test\/pathless\.ts: a template with file assets must be declared with its own path/,
    );
  });
});

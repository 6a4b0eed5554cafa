import { expect } from 'chai';
import { TemplateError } from '../../src/errors';
import { samRef } from '../../src/cfn/sam';
import { Template } from '../../src/cfn/template';
import { ref, sub } from '../../src/cfn/intrinsics';

describe('samRef', () => {
  const samTemplate = () => new Template({ description: 'd', source: 'test', sam: true });

  it('refers to the alias SAM publishes for a function', () => {
    const t = samTemplate();
    const fn = t.resource('Fn', 'AWS::Serverless::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      InlineCode: 'x',
      AutoPublishAlias: 'Live',
    });
    t.output('Alias', { value: samRef(fn, 'Alias') });
    expect(t.toJSON().Outputs).to.deep.equal({ Alias: { Value: { Ref: 'Fn.Alias' } } });
  });

  it('becomes a named variable inside sub, the form SAM and cfn-lint resolve', () => {
    const t = samTemplate();
    const api = t.resource('Api', 'AWS::Serverless::Api', { StageName: 'prod' });
    t.output('Url', { value: sub`https://${api}/${samRef(api, 'Stage')}` });
    expect(t.toJSON().Outputs).to.deep.equal({
      Url: { Value: { 'Fn::Sub': ['https://${Api}/${Var0}', { Var0: { Ref: 'Api.Stage' } }] } },
    });
  });

  it('still fails synth on a dotted Ref that SAM does not generate', () => {
    const t = samTemplate();
    t.resource('Fn', 'AWS::Serverless::Function', { Runtime: 'nodejs22.x', Handler: 'index.handler', InlineCode: 'x' });
    t.output('Stage', { value: ref('Fn.Stage') });
    t.output('Other', { value: ref('Missing.Alias') });
    expect(() => t.toJSON()).to.throw(
      TemplateError,
      /Outputs\.Stage\.Value: Ref to 'Fn\.Stage'[\s\S]*Outputs\.Other\.Value: Ref to 'Missing\.Alias'/,
    );
  });
});

import { expect } from 'chai';
import {
  NO_VALUE,
  Opaque,
  conditionValues,
  effectiveParameters,
  isConditionTrue,
  resolve,
  stackContext,
  walkStacks,
} from './conditions';

type Json = Record<string, any>;

const ENGINES = ['new', 'old'];

/** A template with an engine switch, a flag, and conditions over both. */
const TEMPLATE: Json = {
  Parameters: {
    Engine: { Type: 'String', Default: 'new', AllowedValues: ENGINES },
    Flag: { Type: 'String', Default: '' },
    Count: { Type: 'Number', Default: 1 },
    Required: { Type: 'String' },
  },
  Conditions: {
    Legacy: { 'Fn::Equals': [{ Ref: 'Engine' }, 'old'] },
    Flagged: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Flag' }, ''] }] },
    Both: { 'Fn::And': [{ Condition: 'Legacy' }, { Condition: 'Flagged' }] },
    Either: { 'Fn::Or': [{ Condition: 'Legacy' }, { Condition: 'Flagged' }] },
    Single: { 'Fn::Equals': [{ Ref: 'Count' }, '1'] },
  },
  Resources: {
    Thing: { Type: 'AWS::SNS::Topic' },
  },
};

describe('condition evaluator (test/support/conditions.ts)', () => {
  describe('parameters', () => {
    it('takes given values over defaults, as strings', () => {
      expect(effectiveParameters('t.yaml', TEMPLATE, { Required: 'x', Flag: 'on' })).to.deep.equal({
        Engine: 'new',
        Flag: 'on',
        Count: '1',
        Required: 'x',
      });
    });

    it('uses the default of a parameter passed as AWS::NoValue', () => {
      expect(effectiveParameters('t.yaml', TEMPLATE, { Required: 'x', Engine: NO_VALUE }).Engine).to.equal('new');
    });

    it('refuses what CloudFormation refuses: a missing required value, an unknown name, a value not allowed', () => {
      expect(() => effectiveParameters('t.yaml', TEMPLATE, {})).to.throw(
        't.yaml: parameter Required has no value and no default',
      );
      expect(() => effectiveParameters('t.yaml', TEMPLATE, { Required: 'x', Other: 'y' })).to.throw(
        't.yaml: parameter Other is passed but not declared',
      );
      expect(() => effectiveParameters('t.yaml', TEMPLATE, { Required: 'x', Engine: 'newest' })).to.throw(
        't.yaml: parameter Engine is "newest", not one of new, old',
      );
    });
  });

  describe('conditions', () => {
    it('evaluates Equals, Not, And, Or and Condition under the defaults', () => {
      const ctx = stackContext('t.yaml', TEMPLATE, { Required: 'x' });
      expect(conditionValues(ctx)).to.deep.equal({
        Legacy: false,
        Flagged: false,
        Both: false,
        Either: false,
        Single: true,
      });
    });

    it('follows the given values', () => {
      const ctx = stackContext('t.yaml', TEMPLATE, { Required: 'x', Engine: 'old', Flag: 'yes', Count: '3' });
      expect(conditionValues(ctx)).to.deep.equal({
        Legacy: true,
        Flagged: true,
        Both: true,
        Either: true,
        Single: false,
      });
    });

    it('names a condition that refers to itself', () => {
      const template = {
        Conditions: { A: { 'Fn::Not': [{ Condition: 'B' }] }, B: { 'Fn::And': [{ Condition: 'A' }] } },
      };
      expect(() => isConditionTrue('A', stackContext('loop.yaml', template))).to.throw(
        'loop.yaml: condition A -> B -> A refers to itself',
      );
    });

    it('knows a resource id is never empty, and refuses comparisons only a deployment can decide', () => {
      const template = {
        Conditions: {
          HasTopic: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Thing' }, ''] }] },
          InRegion: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
          ArnEmpty: { 'Fn::Equals': [{ 'Fn::GetAtt': ['Thing', 'TopicArn'] }, ''] },
        },
        Resources: TEMPLATE.Resources,
      };
      const ctx = stackContext('o.yaml', template);
      expect(isConditionTrue('HasTopic', ctx)).to.equal(true);
      expect(() => isConditionTrue('InRegion', ctx)).to.throw(
        /condition InRegion compares <Ref AWS::Region> with us-east-1, which only a deployment can decide/,
      );
      expect(() => isConditionTrue('ArnEmpty', ctx)).to.throw(/<GetAtt Thing.TopicArn>/);
    });

    it('refuses a function that is not a condition function', () => {
      const ctx = stackContext('f.yaml', { Conditions: { Odd: { 'Fn::Join': ['', ['a']] } } });
      expect(() => isConditionTrue('Odd', ctx)).to.throw('f.yaml: condition Odd: Fn::Join is not a condition function');
    });
  });

  describe('values', () => {
    const ctx = stackContext('t.yaml', TEMPLATE, { Required: 'x', Engine: 'old' });

    it('resolves Fn::If by its condition, Ref by parameter, and literals to strings', () => {
      expect(resolve({ 'Fn::If': ['Legacy', 'off', 'emf'] }, ctx)).to.equal('off');
      expect(resolve({ 'Fn::If': ['Flagged', 'a', { Ref: 'Engine' }] }, ctx)).to.equal('old');
      expect(resolve(7, ctx)).to.equal('7');
      expect(resolve({ Ref: 'AWS::NoValue' }, ctx)).to.equal(NO_VALUE);
      expect(resolve({ 'Fn::Sub': 'plain ${!text}' }, ctx)).to.equal('plain ${text}');
    });

    it('leaves what a deployment decides opaque', () => {
      expect(resolve({ Ref: 'Thing' }, ctx)).to.deep.equal(new Opaque('Ref Thing', true));
      expect(resolve({ 'Fn::GetAtt': ['Thing', 'TopicArn'] }, ctx)).to.be.instanceOf(Opaque);
      expect(resolve({ 'Fn::Sub': '${AWS::Region}-x' }, ctx)).to.be.instanceOf(Opaque);
    });

    it('refuses a Ref to something the template does not declare', () => {
      expect(() => resolve({ Ref: 'Nothing' }, ctx)).to.throw(
        't.yaml: Ref to Nothing, which is neither a parameter nor a resource',
      );
    });
  });

  describe('walkStacks', () => {
    const files: Record<string, Json> = {
      'out/root.yaml': {
        Parameters: { Engine: { Type: 'String', Default: 'new' } },
        Conditions: { Legacy: { 'Fn::Equals': [{ Ref: 'Engine' }, 'old'] } },
        Resources: {
          Child: {
            Type: 'AWS::Serverless::Application',
            Properties: { Location: './nested/child.yaml', Parameters: { Engine: { Ref: 'Engine' } } },
          },
          OldChild: {
            Type: 'AWS::CloudFormation::Stack',
            Condition: 'Legacy',
            Properties: {
              TemplateURL: 'nested/child.yaml',
              Parameters: { Engine: { 'Fn::If': ['Legacy', 'old', { Ref: 'AWS::NoValue' }] } },
            },
          },
          Remote: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.invalid/t.yaml' } },
        },
      },
      'out/nested/child.yaml': {
        Parameters: { Engine: { Type: 'String', Default: 'new' } },
        Conditions: { Legacy: { 'Fn::Equals': [{ Ref: 'Engine' }, 'old'] } },
        Resources: {
          Always: { Type: 'AWS::SNS::Topic' },
          OldOnly: { Type: 'AWS::SQS::Queue', Condition: 'Legacy' },
        },
      },
    };
    const load = (path: string) => {
      if (!files[path]) throw new Error(`no file ${path}`);
      return files[path]!;
    };
    const createdIds = (engine: string) =>
      walkStacks('out/root.yaml', { Engine: engine }, load).map((s) => [
        s.path,
        s.created,
        s.resources.filter((r) => r.created).map((r) => r.id),
      ]);

    it('passes values down to local nested templates and skips remote ones', () => {
      expect(createdIds('new')).to.deep.equal([
        ['out/root.yaml', true, ['Child', 'Remote']],
        ['out/nested/child.yaml', true, ['Always']],
        ['out/nested/child.yaml', false, []],
      ]);
    });

    it("creates a nested stack's resources only where the stack itself is created", () => {
      expect(createdIds('old')).to.deep.equal([
        ['out/root.yaml', true, ['Child', 'OldChild', 'Remote']],
        ['out/nested/child.yaml', true, ['Always', 'OldOnly']],
        ['out/nested/child.yaml', true, ['Always', 'OldOnly']],
      ]);
    });
  });
});

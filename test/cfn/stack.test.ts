import { expect } from 'chai';
import { AWS, fnIf, notEmpty } from '../../src/cfn/intrinsics';
import { Stack } from '../../src/cfn/stack';
import { Template } from '../../src/cfn/template';
import { TemplateError } from '../../src/errors';
import { LAKE_STACK } from '../../src/stacks';

// Given a child template declared with two parameters and one output, nested by a parent one folder up
const CHILD: Stack<'Name' | 'Size', 'Arn'> = new Stack({
  path: 'out/nested/child.yaml',
  source: 'test/child.ts',
  build: (): Template => {
    const t = CHILD.template({ description: 'child' });
    const name = t.parameter('Name', { type: 'String', description: 'a name' });
    t.parameter('Size', { type: 'Number', description: 'a size' });
    const bucket = t.resource('Bucket', 'AWS::S3::Bucket', { BucketName: name });
    CHILD.declareOutputs(t, { Arn: { value: bucket.getAtt('Arn') } });
    return t;
  },
});
const PARENT: Stack = new Stack({
  path: 'out/parent.yaml',
  source: 'test/parent.ts',
  build: (): Template => PARENT.template({ description: 'parent', sam: true }),
});

describe('Stack', () => {
  describe('nesting a template', () => {
    it('points Location at the child from the parent and passes a value for each parameter', () => {
      const parent = PARENT.build();
      const child = CHILD.nest(parent, 'Child', { Name: 'logs', Size: 3 });
      parent.output('ChildArn', { value: child.output('Arn') });
      expect(parent.toJSON()).to.deep.include({
        Resources: {
          Child: {
            Type: 'AWS::Serverless::Application',
            Properties: { Location: './nested/child.yaml', Parameters: { Name: 'logs', Size: 3 } },
          },
        },
        Outputs: { ChildArn: { Value: { 'Fn::GetAtt': ['Child', 'Outputs.Arn'] } } },
      });
    });

    it('reaches a child in a sibling folder through ..', () => {
      const parent = new Stack({
        path: 'out/other/parent.yaml',
        source: 'test/parent.ts',
        build: () => new Template({ description: 'x', source: 'x' }),
      }).template({ description: 'parent', sam: true });
      CHILD.nest(parent, 'Child', { Name: 'logs', Size: 3 });
      expect(parent.toJSON()).to.have.nested.property('Resources.Child.Properties.Location', '../nested/child.yaml');
    });

    it('does not compile an unknown output, a missing parameter or an unknown one', () => {
      const parent = PARENT.build();
      const child = CHILD.nest(parent, 'Child', { Name: 'logs', Size: 3 });
      // @ts-expect-error the child declares no output Arm
      child.output('Arm');
      // @ts-expect-error Size is missing
      CHILD.nest(PARENT.build(), 'Missing', { Name: 'logs' });
      // @ts-expect-error the child declares no parameter Colour
      CHILD.nest(PARENT.build(), 'Unknown', { Name: 'logs', Size: 3, Colour: 'red' });
      // And the same holds for the real templates: the lake's database output is not 'Databse'
      const lake = LAKE_STACK.nest(parent, 'Lake', {
        CodeBucket: 'b',
        CodePrefix: 'p',
        BucketName: 'n',
        BucketARN: 'arn:aws:s3:::n',
        PermissionsBoundaryArn: '',
      });
      // @ts-expect-error a misspelled output
      lake.output('Databse');
      expect(lake.output('Database').toJSON()).to.deep.equal({ 'Fn::GetAtt': ['Lake', 'Outputs.Database'] });
    });

    it('takes intrinsics as parameter values, conditional ones included', () => {
      const parent = PARENT.build();
      const given = parent.condition('Given', notEmpty('x'));
      CHILD.nest(parent, 'Child', { Name: fnIf(given, AWS.StackName, AWS.NoValue), Size: 3 });
      expect(parent.toJSON()).to.have.deep.nested.property('Resources.Child.Properties.Parameters.Name', {
        'Fn::If': ['Given', { Ref: 'AWS::StackName' }, { Ref: 'AWS::NoValue' }],
      });
    });

    it('refuses a parent template that has no path to resolve Location from', () => {
      const parent = new Template({ description: 'parent', source: 'test/pathless.ts', sam: true });
      expect(() => CHILD.nest(parent, 'Child', { Name: 'logs', Size: 3 })).to.throw(
        TemplateError,
        /test\/pathless\.ts: .*out\/nested\/child\.yaml/,
      );
    });
  });

  describe('declaring outputs', () => {
    it('declares every output the declaration lists, and the compiler wants each', () => {
      expect(CHILD.build().toJSON().Outputs).to.deep.equal({ Arn: { Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] } } });
      const t = CHILD.template({ description: 'child' });
      // @ts-expect-error Arn is not declared
      expect(() => CHILD.declareOutputs(t, {})).not.to.throw();
    });

    it('refuses the outputs of another template', () => {
      expect(() => CHILD.declareOutputs(PARENT.build(), { Arn: { value: 'x' } })).to.throw(
        TemplateError,
        /outputs of out\/nested\/child\.yaml/,
      );
    });
  });
});

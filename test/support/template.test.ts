import { expect } from 'chai';
import { TemplateAssertions, absent, anyValue, arrayWith, exact, match, objectLike, stringLike } from './template';

const template = TemplateAssertions.fromYaml(`
Parameters:
  Stage: {Type: String, Default: Prod}
Conditions:
  IsProd: !Equals [!Ref Stage, Prod]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "\${AWS::StackName}-data"
      Tags: [{Key: a, Value: "1"}, {Key: b, Value: "2"}]
  Queue:
    Type: AWS::SQS::Queue
Outputs:
  Name: {Value: !Ref Bucket}
`);

describe('template assertions', () => {
  describe('matchers', () => {
    it('matches objects partially and fails on a differing value, naming the path', () => {
      expect(match({ a: 1 }, { a: 1, b: 2 })).to.equal(undefined);
      expect(match({ a: { c: 1 } }, { a: { c: 2 } })).to.match(/\$\.a\.c: expected 1, got 2/);
    });

    it('arrayWith finds elements in order, skipping others', () => {
      expect(match(arrayWith(1, 3), [1, 2, 3])).to.equal(undefined);
      expect(match(arrayWith(3, 1), [1, 2, 3])).to.match(/no element matches/);
    });

    it('absent, anyValue, stringLike and exact can each fail', () => {
      expect(match({ a: absent() }, { a: 1 })).to.match(/expected no value/);
      expect(match({ a: anyValue() }, {})).to.match(/expected a value/);
      expect(match(stringLike(/^ab/), 'xab')).to.match(/expected a string like/);
      expect(match(exact({ a: 1 }), { a: 1, b: 2 })).to.match(/expected exactly/);
      expect(match(objectLike({ a: 1 }), [1])).to.match(/expected an object/);
    });

    it('compares arrays by length and element', () => {
      expect(match([1, 2], [1, 2, 3])).to.match(/expected 2 elements, got 3/);
    });
  });

  describe('queries', () => {
    it('finds resource properties partially, intrinsics intact', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: { 'Fn::Sub': '${AWS::StackName}-data' },
        Tags: arrayWith({ Key: 'b' }),
      });
    });

    it('shows the closest candidates when no resource matches', () => {
      expect(() => template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'other' })).to.throw(
        /closest candidates:\n  Bucket: Bucket\.Properties\.BucketName/,
      );
    });

    it('names the types present when none of the type exists', () => {
      expect(() => template.hasResourceProperties('AWS::SNS::Topic', {})).to.throw(
        /types present: AWS::S3::Bucket, AWS::SQS::Queue/,
      );
    });

    it('counts resources by type', () => {
      template.resourceCountIs('AWS::S3::Bucket', 1);
      expect(() => template.resourceCountIs('AWS::S3::Bucket', 2)).to.throw(
        /expected 2 AWS::S3::Bucket, found 1: Bucket/,
      );
    });

    it('suggests the nearest id for a missing resource, output, parameter or condition', () => {
      expect(() => template.resource('Buckt')).to.throw(/did you mean Bucket\?/);
      expect(() => template.hasOutput('Nam')).to.throw(/did you mean Name\?/);
      expect(() => template.hasParameter('Stag')).to.throw(/did you mean Stage\?/);
      expect(() => template.hasCondition('IsProdd')).to.throw(/did you mean IsProd\?/);
    });

    it('checks types, outputs, parameters and conditions', () => {
      template.hasResource('Queue', 'AWS::SQS::Queue');
      expect(() => template.hasResource('Queue', 'AWS::SNS::Topic')).to.throw(
        /is AWS::SQS::Queue, expected AWS::SNS::Topic/,
      );
      template.hasOutput('Name', { Value: { Ref: 'Bucket' } });
      template.hasParameter('Stage', { Default: 'Prod' });
      template.hasCondition('IsProd', { 'Fn::Equals': [{ Ref: 'Stage' }, 'Prod'] });
      expect(() => template.hasCondition('IsProd', { 'Fn::Equals': [{ Ref: 'Stage' }, 'Dev'] })).to.throw(
        /expected 'Dev', got 'Prod'/,
      );
    });
  });
});

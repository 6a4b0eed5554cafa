import { expect } from 'chai';
import { AWS, and, fnIf, getAtt, notEmpty, ref, sub, subWith } from '../../src/cfn/intrinsics';
import { Template } from '../../src/cfn/template';
import { TemplateError } from '../../src/errors';

const newTemplate = (sam = false) => new Template({ description: 'test', source: 'test/template.ts', sam });

describe('Template', () => {
  describe('handles', () => {
    it('turns a parameter handle into a Ref', () => {
      const t = newTemplate();
      const p = t.parameter('Name', { type: 'String', description: 'a name' });
      t.resource('Bucket', 'AWS::S3::Bucket', { BucketName: p });
      expect(t.toJSON().Resources).to.deep.equal({
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'Name' } } },
      });
    });

    it('turns resource handles into Ref and GetAtt', () => {
      const t = newTemplate();
      const bucket = t.resource('Bucket', 'AWS::S3::Bucket', {});
      t.output('Arn', { value: bucket.getAtt('Arn') });
      t.output('Name', { value: bucket });
      expect(t.toJSON().Outputs).to.deep.equal({
        Arn: { Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] } },
        Name: { Value: { Ref: 'Bucket' } },
      });
    });

    it('writes Sub references from handles, pseudo parameters and attributes', () => {
      const t = newTemplate();
      const bucket = t.resource('Bucket', 'AWS::S3::Bucket', {});
      t.output('Url', { value: sub`arn:${AWS.Partition}:s3:::${bucket}/${bucket.getAtt('Arn')}/\${literal}` });
      expect((t.toJSON().Outputs as any).Url.Value).to.deep.equal({
        'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/${Bucket.Arn}/${!literal}',
      });
    });

    it('turns other intrinsics inside Sub into named variables', () => {
      const t = newTemplate();
      const c = t.condition('On', notEmpty(t.parameter('P', { type: 'String', description: 'p', default: '' })));
      t.output('V', { value: sub`x-${fnIf(c, 'a', 'b')}` });
      expect((t.toJSON().Outputs as any).V.Value).to.deep.equal({
        'Fn::Sub': ['x-${Var0}', { Var0: { 'Fn::If': ['On', 'a', 'b'] } }],
      });
    });

    it('keeps a condition handle usable in resources, outputs and other conditions', () => {
      const t = newTemplate();
      const p = t.parameter('P', { type: 'String', description: 'p', default: '' });
      const a = t.condition('A', notEmpty(p));
      const b = t.condition('B', and(a, notEmpty(p)));
      t.resource('Bucket', 'AWS::S3::Bucket', {}, { condition: b });
      const json = t.toJSON();
      expect((json.Conditions as any).B).to.deep.equal({
        'Fn::And': [{ Condition: 'A' }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'P' }, ''] }] }],
      });
      expect((json.Resources as any).Bucket.Condition).to.equal('B');
    });
  });

  describe('references to undeclared ids', () => {
    it('fails synth on a Ref to an id the template never declared, naming it and where it is', () => {
      const t = newTemplate();
      t.resource('Bucket', 'AWS::S3::Bucket', { BucketName: ref('Missing') });
      expect(() => t.toJSON()).to.throw(TemplateError, /Resources\.Bucket\.Properties\.BucketName: Ref to 'Missing'/);
    });

    it('fails on a GetAtt of an undeclared resource', () => {
      const t = newTemplate();
      t.output('X', { value: getAtt('Nope', 'Arn') });
      expect(() => t.toJSON()).to.throw(/Fn::GetAtt of 'Nope'/);
    });

    it('fails on a Sub variable that is neither declared nor given', () => {
      const t = newTemplate();
      t.output('X', { value: subWith('${Typo}-${AWS::Region}') });
      expect(() => t.toJSON()).to.throw(/'\$\{Typo\}'/);
    });

    it('accepts Sub variables given in the variable map and escaped ${!literals}', () => {
      const t = newTemplate();
      t.output('X', { value: subWith('${Given}-${!Literal}', { Given: 'v' }) });
      expect(() => t.toJSON()).not.to.throw();
    });

    it('takes only a declared condition in an If, not a parameter, a resource or an id', () => {
      const t = newTemplate();
      const name = t.parameter('Name', { type: 'String', description: 'a name' });
      const bucket = t.resource('Bucket', 'AWS::S3::Bucket', {});
      const named = t.condition('Named', notEmpty(name));
      // @ts-expect-error a parameter is not a condition
      fnIf(name, 'a', 'b');
      // @ts-expect-error nor is a resource
      fnIf(bucket, 'a', 'b');
      // @ts-expect-error nor anything else with a logical id
      fnIf({ logicalId: 'Named' }, 'a', 'b');
      // @ts-expect-error a resource's condition is a condition handle too (here in a template never synthesized)
      newTemplate().resource('Other', 'AWS::S3::Bucket', {}, { condition: name });
      t.output('X', { value: fnIf(named, 'a', 'b') });
      expect(t.toJSON().Outputs).to.deep.equal({ X: { Value: { 'Fn::If': ['Named', 'a', 'b'] } } });
    });

    it('takes only the attributes the resource type has in a GetAtt', () => {
      const bucket = newTemplate().resource('Bucket', 'AWS::S3::Bucket', {});
      // @ts-expect-error a bucket has an Arn, not an Arm
      bucket.getAtt('Arm');
      expect(bucket.getAtt('RegionalDomainName').toJSON()).to.deep.equal({
        'Fn::GetAtt': ['Bucket', 'RegionalDomainName'],
      });
    });

    describe('of another template', () => {
      // Given a template whose handles are used by mistake in another that has the same ids
      const other = () => {
        const t = new Template({ description: 'other', source: 'test/other.ts' });
        const name = t.parameter('Name', { type: 'String', description: 'a name' });
        return {
          name,
          bucket: t.resource('Bucket', 'AWS::S3::Bucket', {}),
          named: t.condition('Named', notEmpty(name)),
        };
      };
      const here = () => {
        const t = newTemplate();
        const name = t.parameter('Name', { type: 'String', description: 'a name' });
        t.resource('Bucket', 'AWS::S3::Bucket', {});
        t.condition('Named', notEmpty(name));
        return t;
      };

      it('fails at synth on a Ref, naming both templates and where it is used', () => {
        const t = here();
        t.resource('Copy', 'AWS::S3::Bucket', { BucketName: other().name });
        expect(() => t.toJSON()).to.throw(
          TemplateError,
          /test\/template\.ts: the template uses a handle of another template:\n  Resources\.Copy\.Properties\.BucketName: Name is declared by test\/other\.ts/,
        );
      });

      it('fails at synth on one inside a Sub, a GetAtt, an If, a resource condition and a dependency', () => {
        const t = here();
        const { bucket, named } = other();
        t.resource(
          'Copy',
          'AWS::S3::Bucket',
          { BucketName: sub`${bucket}-copy` },
          { condition: named, dependsOn: [bucket] },
        );
        t.output('Arn', { value: fnIf(named, bucket.getAtt('Arn'), AWS.NoValue) });
        expect(() => t.toJSON()).to.throw(TemplateError, /uses 5 handles of another template/);
      });

      it("accepts the template's own handles under the same ids", () => {
        const t = newTemplate();
        const name = t.parameter('Name', { type: 'String', description: 'a name' });
        const bucket = t.resource('Bucket', 'AWS::S3::Bucket', { BucketName: name });
        const named = t.condition('Named', notEmpty(name));
        t.output('Arn', { value: fnIf(named, sub`${bucket.getAtt('Arn')}/*`, AWS.NoValue) });
        expect(() => t.toJSON()).not.to.throw();
      });
    });

    it('lists every problem at once', () => {
      const t = newTemplate();
      t.resource('Bucket', 'AWS::S3::Bucket', { BucketName: ref('One'), Tags: [{ Key: 'k', Value: ref('Two') }] });
      expect(() => t.toJSON()).to.throw(/2 things[\s\S]*'One'[\s\S]*'Two'/);
    });
  });

  describe('the permissions boundary', () => {
    const trust = { Version: '2012-10-17', Statement: [] };

    it('gives it to every role and to every SAM function whose role SAM generates, leaving a role that states its own', () => {
      // given a template with a boundary, a role, a role with its own boundary and two functions
      const t = newTemplate(true);
      const arn = t.parameter('Boundary', { type: 'String', description: 'boundary' });
      t.setPermissionsBoundary(arn);
      const role = t.resource('Role', 'AWS::IAM::Role', { AssumeRolePolicyDocument: trust });
      t.resource('Own', 'AWS::IAM::Role', { AssumeRolePolicyDocument: trust, PermissionsBoundary: 'arn:own' });
      t.resource('Generated', 'AWS::Serverless::Function', { Handler: 'index.handler' });
      t.resource('Given', 'AWS::Serverless::Function', { Handler: 'index.handler', Role: role.getAtt('Arn') });
      // when it is written
      const resources = t.toJSON().Resources as Record<string, { Properties: Record<string, unknown> }>;
      // then the boundary is where a role is created without one
      expect(resources.Role!.Properties.PermissionsBoundary).to.deep.equal({ Ref: 'Boundary' });
      expect(resources.Own!.Properties.PermissionsBoundary).to.equal('arn:own');
      expect(resources.Generated!.Properties.PermissionsBoundary).to.deep.equal({ Ref: 'Boundary' });
      expect(resources.Given!.Properties.PermissionsBoundary).to.equal(undefined);
    });

    it('refuses a function deployed through CodeDeploy without a role for it, which SAM would create without the boundary', () => {
      const t = newTemplate(true);
      t.setPermissionsBoundary('arn:boundary');
      t.setGlobals({ Function: { DeploymentPreference: { Type: 'AllAtOnce' } } });
      t.resource('Fn', 'AWS::Serverless::Function', { Handler: 'index.handler', Role: 'arn:role' });
      expect(() => t.toJSON()).to.throw(
        TemplateError,
        'function Fn deploys through CodeDeploy without DeploymentPreference.Role',
      );
    });

    it('is set once', () => {
      const t = newTemplate();
      t.setPermissionsBoundary('arn:boundary');
      expect(() => t.setPermissionsBoundary('arn:other')).to.throw(
        TemplateError,
        'the permissions boundary is set twice',
      );
    });

    it('leaves roles alone in a template without one', () => {
      const t = newTemplate();
      t.resource('Role', 'AWS::IAM::Role', { AssumeRolePolicyDocument: trust });
      expect(t.toJSON()).to.not.have.nested.property('Resources.Role.Properties.PermissionsBoundary');
    });
  });

  describe('declarations', () => {
    it('refuses the same logical id twice, across sections', () => {
      const t = newTemplate();
      t.parameter('Thing', { type: 'String', description: 'x' });
      expect(() => t.resource('Thing', 'AWS::S3::Bucket', {})).to.throw(/resource Thing clashes with the parameter/);
    });

    it('refuses logical ids that are not alphanumeric', () => {
      expect(() => newTemplate().resource('my-bucket', 'AWS::S3::Bucket', {})).to.throw(/letters and digits/);
    });

    it('refuses SAM resources without the SAM transform', () => {
      expect(() => newTemplate(false).resource('Fn', 'AWS::Serverless::Function', {})).to.throw(
        /needs the SAM transform/,
      );
    });

    it('writes parameter groups and labels into the console interface metadata', () => {
      const t = newTemplate();
      t.parameter('A', { type: 'String', description: 'a', label: 'The A', group: 'G1' });
      t.parameter('B', { type: 'Number', description: 'b', group: 'G2', minValue: 1, maxValue: 5, default: 2 });
      t.parameter('C', { type: 'String', description: 'c', group: 'G1', noEcho: true });
      const json = t.toJSON() as any;
      expect(json.Metadata['AWS::CloudFormation::Interface']).to.deep.equal({
        ParameterGroups: [
          { Label: { default: 'G1' }, Parameters: ['A', 'C'] },
          { Label: { default: 'G2' }, Parameters: ['B'] },
        ],
        ParameterLabels: { A: { default: 'The A' } },
      });
      expect(json.Parameters.B).to.deep.equal({
        Type: 'Number',
        Description: 'b',
        Default: 2,
        MinValue: 1,
        MaxValue: 5,
      });
      expect(json.Parameters.C.NoEcho).to.equal(true);
    });

    it('writes lint exceptions with their rule ids, and refuses one without a reason', () => {
      const t = newTemplate();
      t.resource('Bucket', 'AWS::S3::Bucket', {}, { lintExceptions: { W3045: 'kept for parity' } });
      expect((t.toJSON() as any).Resources.Bucket.Metadata).to.deep.equal({
        'cfn-lint': { config: { ignore_checks: ['W3045'] } },
      });
      const u = newTemplate();
      u.resource('Bucket', 'AWS::S3::Bucket', {}, { lintExceptions: { W3045: ' ' } });
      expect(() => u.toJSON()).to.throw(/needs a reason/);
    });

    it("writes scan exceptions as checkov's Metadata skips, sorted, each with its reason as the comment", () => {
      const t = newTemplate();
      t.resource(
        'Bucket',
        'AWS::S3::Bucket',
        {},
        { scanExceptions: { CKV_AWS_21: 'versioning is off: the objects are rebuilt', CKV_AWS_18: 'no access log' } },
      );
      expect((t.toJSON() as any).Resources.Bucket.Metadata).to.deep.equal({
        checkov: {
          skip: [
            { id: 'CKV_AWS_18', comment: 'no access log' },
            { id: 'CKV_AWS_21', comment: 'versioning is off: the objects are rebuilt' },
          ],
        },
      });
    });

    it('refuses a scan exception without a reason, or one that is not a checkov check id', () => {
      const t = newTemplate();
      t.resource('Bucket', 'AWS::S3::Bucket', {}, { scanExceptions: { CKV_AWS_18: '' } });
      expect(() => t.toJSON()).to.throw('resource Bucket: scan exception CKV_AWS_18 needs a reason');
      const u = newTemplate();
      u.resource('Bucket', 'AWS::S3::Bucket', {}, { scanExceptions: { 'CKV_AWS_*': 'all of them' } });
      expect(() => u.toJSON()).to.throw(
        "resource Bucket: scan exception 'CKV_AWS_*' is not a checkov check id such as CKV_AWS_117",
      );
    });

    it('declares the SAM transform and globals', () => {
      const t = newTemplate(true);
      t.setGlobals({ Function: { Runtime: 'nodejs22.x' } });
      const json = t.toJSON() as any;
      expect(json.Transform).to.equal('AWS::Serverless-2016-10-31');
      expect(json.Globals).to.deep.equal({ Function: { Runtime: 'nodejs22.x' } });
    });
  });
});

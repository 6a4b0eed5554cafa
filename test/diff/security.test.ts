import { expect } from 'chai';
import { compareTrees } from '../../src/diff/compare';
import type { SecurityChange, StackTemplate } from '../../src/diff/model';
import { changed, generatedTrees, PIPELINE, SERVICE, stackOf } from './trees';

type Statement = { Sid?: string; Action: string | string[] };

/** The inline statement `sid` of the batch state machine's role in the pipeline template. */
const batchStatement = (
  t: {
    Resources: {
      BatchStateMachineRole: { Properties: { Policies: { PolicyDocument: { Statement: Statement[] } }[] } };
    };
  },
  sid: string,
) => t.Resources.BatchStateMachineRole.Properties.Policies[0]!.PolicyDocument.Statement.find((s) => s.Sid === sid)!;

const rows = (security: readonly SecurityChange[], change: 'add' | 'remove') =>
  security.filter((s) => s.change === change);

describe('diff: security tables', () => {
  let trees: StackTemplate[];
  before(async () => {
    trees = await generatedTrees();
  });

  it('marks an IAM statement widened to every action of a service in a nested template as broadening', () => {
    const after = changed(trees, PIPELINE, (t) => {
      batchStatement(t, 'StartHiveJobs').Action = 'emr-serverless:*';
    });
    const report = compareTrees(trees, after);
    const security = stackOf(report, PIPELINE).security;
    expect(rows(security, 'add')).to.deep.equal([
      {
        kind: 'iam',
        change: 'add',
        resource: 'BatchStateMachineRole',
        broadening: true,
        effect: 'Allow',
        principals: ['AWS:${BatchStateMachineRole}'],
        actions: ['emr-serverless:*'],
        resources: ['${HiveApplication.Arn}'],
      },
    ]);
    expect(rows(security, 'remove')).to.have.length(1);
    expect(rows(security, 'remove')[0]).to.include({ broadening: false });
    expect(rows(security, 'remove')[0]!.actions).to.deep.equal(['emr-serverless:StartJobRun']);
    expect(report.summary.broadening).to.equal(1);
  });

  it('does not mark a statement narrowed to fewer actions as broadening', () => {
    const after = changed(trees, PIPELINE, (t) => {
      batchStatement(t, 'FollowHiveJobs').Action = ['emr-serverless:GetJobRun'];
    });
    const report = compareTrees(trees, after);
    const security = stackOf(report, PIPELINE).security;
    expect(rows(security, 'add').map((s) => [s.actions, s.broadening])).to.deep.equal([
      [['emr-serverless:GetJobRun'], false],
    ]);
    expect(rows(security, 'remove').map((s) => s.actions)).to.deep.equal([
      ['emr-serverless:CancelJobRun', 'emr-serverless:GetJobRun'],
    ]);
    expect(report.summary.broadening).to.equal(0);
  });

  it('reads statements of a policy resource and marks one that drops its condition as broadening', () => {
    const after = changed(trees, PIPELINE, (t) => {
      const statements = t.Resources.BatchRedshiftPolicy.Properties.PolicyDocument.Statement as {
        Sid: string;
        Condition?: unknown;
      }[];
      delete statements.find((s) => s.Sid === 'FollowOwnStatements')!.Condition;
    });
    const security = stackOf(compareTrees(trees, after), PIPELINE).security;
    const added = rows(security, 'add');
    expect(added).to.have.length(1);
    expect(added[0]).to.include({ kind: 'iam', resource: 'BatchRedshiftPolicy', broadening: true });
    expect(rows(security, 'remove')[0]!.conditions).to.deep.equal({
      StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' },
    });
  });

  it('marks a security group rule opened to 0.0.0.0/0 as broadening, including rules chosen by a condition', () => {
    const after = changed(trees, 'app', (t) => {
      const [, withKey, withoutKey] = t.Resources.SecurityGroup.Properties.SecurityGroupIngress['Fn::If'];
      for (const rules of [withKey, withoutKey]) rules[0].CidrIp = '0.0.0.0/0';
    });
    const report = compareTrees(trees, after);
    const security = stackOf(report, 'app').security;
    expect(rows(security, 'add')).to.deep.equal([
      {
        kind: 'security-group',
        change: 'add',
        resource: 'SecurityGroup',
        broadening: true,
        group: '${SecurityGroup.GroupId}',
        direction: 'ingress',
        protocol: 'TCP 5439',
        peer: 'Everyone (IPv4)',
      },
    ]);
    expect(rows(security, 'remove')).to.deep.equal([
      {
        kind: 'security-group',
        change: 'remove',
        resource: 'SecurityGroup',
        broadening: false,
        group: '${SecurityGroup.GroupId}',
        direction: 'ingress',
        protocol: 'TCP 5439',
        peer: '172.31.0.0/16',
      },
    ]);
    expect(report.summary.broadening).to.equal(1);
  });

  it('does not mark a rule narrowed to a smaller network as broadening', () => {
    const after = changed(trees, 'app', (t) => {
      const [, withSsh, withoutSsh] = t.Resources.SecurityGroup.Properties.SecurityGroupIngress['Fn::If'];
      for (const rules of [withSsh, withoutSsh]) rules[0].CidrIp = '172.31.1.0/24';
    });
    const security = stackOf(compareTrees(trees, after), 'app').security;
    expect(rows(security, 'add').map((s) => [s.peer, s.broadening])).to.deep.equal([['172.31.1.0/24', false]]);
    expect(rows(security, 'remove').map((s) => s.peer)).to.deep.equal(['172.31.0.0/16']);
  });

  it("lists a SAM function's Policies as statements and managed policies of the function", () => {
    const after = changed(trees, SERVICE, (t) => {
      t.Resources.CaptureClicksLambda.Properties.Policies = [
        { Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Sub': '${BucketARN}/data/*' } }] },
        'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
        { DynamoDBReadPolicy: { TableName: 'ads' } },
      ];
    });
    const report = compareTrees(trees, after);
    const service = stackOf(report, SERVICE);
    expect(
      service.resources.map((r) => [r.logicalId, r.change, r.replacement, r.properties.map((p) => p.path)]),
    ).to.deep.equal([['CaptureClicksLambda', 'modify', 'never', ['Properties.Policies']]]);
    expect(
      service.security.map((s) => [s.resource, s.change, s.broadening, s.managedPolicy ?? s.actions]),
    ).to.deep.equal([
      ['CaptureClicksLambda', 'add', true, ['s3:PutObject']],
      ['CaptureClicksLambda', 'add', true, ['SAM policy template DynamoDBReadPolicy']],
      ['CaptureClicksLambda', 'add', true, 'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess'],
    ]);
    expect(service.security[0]!.resources).to.deep.equal(['${BucketARN}/data/*']);
    expect(service.security[1]!.resources).to.deep.equal(['TableName=ads']);
  });

  it('reports a Lambda permission added as a broadening resource policy', () => {
    const after = changed(trees, SERVICE, (t) => {
      t.Resources.PublicInvoke = {
        Type: 'AWS::Lambda::Permission',
        Properties: { Action: 'lambda:InvokeFunction', FunctionName: { Ref: 'CaptureClicksLambda' }, Principal: '*' },
      };
    });
    const security = stackOf(compareTrees(trees, after), SERVICE).security;
    expect(security).to.have.length(1);
    expect(security[0]).to.include({
      kind: 'resource-policy',
      change: 'add',
      resource: 'PublicInvoke',
      broadening: true,
    });
    expect(security[0]!.principals).to.deep.equal(['*']);
  });
});

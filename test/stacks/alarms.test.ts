// The alarm topic of the root stack, and the one rule every alarm of every
// generated template follows: it tells the topic when it fires.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../../src/paths';
import { walkStacks } from '../support/conditions';
import { TemplateAssertions, absent } from '../support/template';
import { branchValues } from './branch';

type Json = Record<string, any>;

const ROOT = 'templates-out/app.yaml';
const SERVICE = 'templates-out/advertising/service.yaml';

/** Every generated template: build.yaml and everything under templates-out/. */
export function generatedTemplates(): string[] {
  const root = projectRoot();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(join(dir, entry.name))
        : entry.name.endsWith('.yaml')
          ? [relative(root, join(dir, entry.name))]
          : [],
    );
  return ['build.yaml', ...walk(join(root, 'templates-out'))].sort();
}

/** The statements of a policy document. */
const statements = (document: Json): Json[] => document.Statement;

describe('the alarm topic (templates-out/app.yaml)', () => {
  const app = TemplateAssertions.load(ROOT);
  const key = app.resource('AlarmTopicKey', 'AWS::KMS::Key') as Json;

  it('is encrypted with a key of its own, which rotates', () => {
    app.hasResource('AlarmTopic', 'AWS::SNS::Topic', {
      Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['AlarmTopicKey', 'Arn'] } },
    });
    expect(key.Properties.EnableKeyRotation).to.equal(true);
  });

  it("lets CloudWatch alarms of this account, and EventBridge, use the key to publish, and the account's IAM policies decide the rest", () => {
    const byPrincipal = Object.fromEntries(
      statements(key.Properties.KeyPolicy).map((s) => [JSON.stringify(s.Principal), s]),
    );
    expect(Object.keys(byPrincipal)).to.have.members([
      JSON.stringify({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }),
      JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }),
      JSON.stringify({ Service: 'events.amazonaws.com' }),
    ]);
    const alarms = byPrincipal[JSON.stringify({ Service: 'cloudwatch.amazonaws.com' })]!;
    expect(alarms.Action).to.deep.equal(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(alarms.Condition).to.deep.equal({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: {
        'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*' },
      },
    });
    // EventBridge's key requests carry no source keys: a condition on them would drop every notification.
    const rules = byPrincipal[JSON.stringify({ Service: 'events.amazonaws.com' })]!;
    expect(rules.Action).to.deep.equal(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(rules.Condition).to.equal(undefined);
  });

  it('admits only CloudWatch alarms and EventBridge rules of this account as publishers', () => {
    const policy = app.resource('AlarmTopicPolicy', 'AWS::SNS::TopicPolicy') as Json;
    expect(policy.Properties.Topics).to.deep.equal([{ Ref: 'AlarmTopic' }]);
    const allowed = statements(policy.Properties.PolicyDocument);
    expect(
      allowed.every(
        (s) =>
          s.Effect === 'Allow' && s.Action === 'sns:Publish' && JSON.stringify(s.Resource) === '{"Ref":"AlarmTopic"}',
      ),
    ).to.equal(true);
    expect(allowed.map((s) => [s.Principal, s.Condition])).to.deep.equal([
      [
        { Service: 'cloudwatch.amazonaws.com' },
        {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*' },
          },
        },
      ],
      [
        { Service: 'events.amazonaws.com' },
        {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*' },
          },
        },
      ],
    ]);
  });

  it('subscribes the e-mail address only when one is given', () => {
    // given the branch configuration without an address, and with one
    const created = (values: Record<string, string>) =>
      walkStacks(ROOT, { ...branchValues('master'), ...values })[0]!.resources.find(
        (r) => r.id === 'AlarmEmailSubscription',
      )!.created;
    // then
    expect(created({})).to.equal(false);
    expect(created({ AlarmEmail: 'ops@example.com' })).to.equal(true);
    app.hasResource('AlarmEmailSubscription', 'AWS::SNS::Subscription', {
      Condition: 'AlarmEmailGiven',
      Properties: { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } },
    });
  });

  it('takes an e-mail address or nothing', () => {
    const pattern = new RegExp(app.section('Parameters').AlarmEmail!.AllowedPattern as string);
    expect(['', 'ops@example.com', 'on-call+dataless@team.example.org'].every((v) => pattern.test(v))).to.equal(true);
    expect(['ops', 'ops@example', 'a b@example.com', 'ops@@example.com'].some((v) => pattern.test(v))).to.equal(false);
  });

  it("hands out the topic's ARN, and hands it to the advertising service", () => {
    app.hasOutput('AlarmTopicArn', { Value: { Ref: 'AlarmTopic' } });
    app.hasResource('AdvertisingService', 'AWS::Serverless::Application', {
      Properties: { Parameters: { AlarmTopicArn: { Ref: 'AlarmTopic' } } },
    });
    TemplateAssertions.load(SERVICE).hasParameter('AlarmTopicArn', { Default: absent() });
  });
});

describe('every alarm of every generated template', () => {
  const templates = generatedTemplates();
  const alarms = templates.flatMap((path) =>
    Object.entries(TemplateAssertions.load(path).findResources('AWS::CloudWatch::Alarm')).map(([id, alarm]) => ({
      path,
      id,
      alarm: alarm as Json,
    })),
  );

  it('is found: the walk reaches the templates that hold alarms', () => {
    expect(templates).to.include.members([ROOT, SERVICE, 'build.yaml']);
    expect(alarms.length).to.be.greaterThan(0);
  });

  it('notifies the alarm topic when it fires, and never has its actions switched off', () => {
    const topicOf = (path: string) => (path === ROOT ? { Ref: 'AlarmTopic' } : { Ref: 'AlarmTopicArn' });
    const silent = alarms.filter(
      ({ path, alarm }) =>
        alarm.Properties.ActionsEnabled === false ||
        JSON.stringify(alarm.Properties.AlarmActions) !== JSON.stringify([topicOf(path)]),
    );
    expect(silent.map(({ path, id }) => `${path}: ${id}`)).to.deep.equal([]);
  });

  it('sends its OK, when it sends one, to the same topic', () => {
    const elsewhere = alarms.filter(
      ({ alarm }) =>
        alarm.Properties.OKActions !== undefined &&
        JSON.stringify(alarm.Properties.OKActions) !== JSON.stringify(alarm.Properties.AlarmActions),
    );
    expect(elsewhere.map(({ path, id }) => `${path}: ${id}`)).to.deep.equal([]);
  });
});

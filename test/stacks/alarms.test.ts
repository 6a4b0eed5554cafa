// The alarm topic of the root stack, and the one rule every alarm of every
// generated template follows: it tells the topic when it fires.
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
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

/** One alarm as the runbook describes it: where it is, under which condition, and its whole metric and condition. */
interface ExpectedAlarm {
  readonly path: string;
  readonly id: string;
  readonly condition?: string;
  /** Also notifies its return to OK. */
  readonly ok: boolean;
  readonly properties: Json;
}

const PIPELINE = 'templates-out/advertising/pipeline.yaml';
const REALTIME = 'templates-out/advertising/realtime.yaml';
const FIVE_MINUTES = { Period: 300, EvaluationPeriods: 1 };
const metric = (name: string, dimensions: Json[], statistic: string) => ({
  Namespace: name.split(' ')[0],
  MetricName: name.split(' ')[1],
  Dimensions: dimensions,
  Statistic: statistic,
});

const quota = (stream: string): ExpectedAlarm[] =>
  (
    [
      ['RecordsPerSecondAlarm', 'IncomingRecords', 4000],
      ['TransactionsPerSecondAlarm', 'PutRecordBatch.Requests', 1600],
      ['DataThroughputAlarm', 'IncomingBytes', 4194304],
    ] as const
  ).map(([suffix, name, threshold]) => ({
    path: SERVICE,
    id: `${stream}DeliveryStream${suffix}`,
    ok: true,
    properties: {
      ...metric(
        `AWS/Firehose ${name}`,
        [{ Name: 'DeliveryStreamName', Value: { Ref: `${stream}DeliveryStream` } }],
        'Average',
      ),
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: threshold,
      Period: 60,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
    },
  }));

const delivery = (stream: string): ExpectedAlarm[] => {
  const dimensions = [{ Name: 'DeliveryStreamName', Value: { Ref: `${stream}DeliveryStream` } }];
  return [
    {
      path: SERVICE,
      id: `${stream}DeliveryStreamS3DeliveryAlarm`,
      ok: true,
      // below 100 % successful S3 puts in two 15-minute flush intervals running
      properties: {
        ...metric('AWS/Firehose DeliveryToS3.Success', dimensions, 'Average'),
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        Period: 900,
        EvaluationPeriods: 2,
        DatapointsToAlarm: absent(),
        TreatMissingData: 'notBreaching',
      },
    },
    {
      path: SERVICE,
      id: `${stream}DeliveryStreamFreshnessAlarm`,
      ok: true,
      // the oldest waiting record older than two flush intervals, for ten minutes
      properties: {
        ...metric('AWS/Firehose DeliveryToS3.DataFreshness', dimensions, 'Maximum'),
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 1800,
        Period: 300,
        EvaluationPeriods: 2,
        TreatMissingData: 'notBreaching',
      },
    },
  ];
};

const functionAlarms = (fn: string): ExpectedAlarm[] =>
  ['Errors', 'Throttles'].map((name) => ({
    path: SERVICE,
    id: `${fn}${name}Alarm`,
    ok: true,
    // any one in five minutes
    properties: {
      ...metric(`AWS/Lambda ${name}`, [{ Name: 'FunctionName', Value: { Ref: fn } }], 'Sum'),
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      ...FIVE_MINUTES,
      TreatMissingData: 'notBreaching',
    },
  }));

const route = (stem: string, resource: string, method: string): ExpectedAlarm => ({
  path: SERVICE,
  id: `${stem}ServerErrorsAlarm`,
  ok: true,
  // over 5 % of the route's requests answered 5xx in 2 of 3 five-minute periods
  properties: {
    ...metric(
      'AWS/ApiGateway 5XXError',
      [
        { Name: 'ApiName', Value: { Ref: 'AWS::StackName' } },
        { Name: 'Stage', Value: { Ref: 'Stage' } },
        { Name: 'Resource', Value: resource },
        { Name: 'Method', Value: method },
      ],
      'Average',
    ),
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 0.05,
    Period: 300,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 2,
    TreatMissingData: 'notBreaching',
  },
});

const stateMachine = [{ Name: 'StateMachineArn', Value: { Ref: 'BatchStateMachine' } }];
const runEnded = (id: string, metric: string) => ({
  Id: id,
  MetricStat: {
    Metric: { Namespace: 'AWS/States', MetricName: metric, Dimensions: stateMachine },
    Period: 300,
    Stat: 'Sum',
  },
  ReturnData: false,
});

/** Every alarm the generated templates create. */
const EXPECTED: readonly ExpectedAlarm[] = [
  ...quota('Impressions'),
  ...delivery('Impressions'),
  ...quota('Clicks'),
  ...delivery('Clicks'),
  ...functionAlarms('CaptureImpressionsLambda'),
  ...functionAlarms('CaptureClicksLambda'),
  route('ImpressionsRoute', '/impressions', 'POST'),
  route('ClicksRoute', '/clicks', 'POST'),
  route('TrafficRoute', '/traffic/{ad-id}', 'GET'),
  {
    path: PIPELINE,
    id: 'BatchRunFailedAlarm',
    condition: 'StepFunctionsBatch',
    // a failed run stays failed: no OK
    ok: false,
    properties: {
      Metrics: [
        runEnded('failed', 'ExecutionsFailed'),
        runEnded('timedOut', 'ExecutionsTimedOut'),
        runEnded('aborted', 'ExecutionsAborted'),
        { Id: 'unsuccessful', Expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)', ReturnData: true },
      ],
      MetricName: absent(),
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    },
  },
  {
    path: PIPELINE,
    id: 'BatchOverdueAlarm',
    condition: 'ScheduledBatch',
    ok: true,
    // no successful run in any of the last 26 hours
    properties: {
      ...metric('AWS/States ExecutionsSucceeded', stateMachine, 'Sum'),
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      Period: 3600,
      EvaluationPeriods: 26,
      DatapointsToAlarm: 26,
      TreatMissingData: 'breaching',
    },
  },
  {
    path: REALTIME,
    id: 'RealTimeAdvertisingLambdaErrorsAlarm',
    condition: 'LegacyRealTime',
    ok: true,
    properties: {
      ...metric('AWS/Lambda Errors', [{ Name: 'FunctionName', Value: { Ref: 'RealTimeAdvertisingLambda' } }], 'Sum'),
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      ...FIVE_MINUTES,
      TreatMissingData: 'notBreaching',
    },
  },
];

describe('each alarm', () => {
  const topic = { Ref: 'AlarmTopicArn' };

  it('is one of those listed here, and each listed one exists', () => {
    const found = generatedTemplates().flatMap((path) =>
      Object.keys(TemplateAssertions.load(path).findResources('AWS::CloudWatch::Alarm')).map((id) => `${path}: ${id}`),
    );
    expect(found).to.have.members(EXPECTED.map((a) => `${a.path}: ${a.id}`));
  });

  for (const alarm of EXPECTED) {
    it(`${alarm.id} watches its metric with its threshold and period${alarm.condition ? ` under ${alarm.condition}` : ''}, and tells the topic${alarm.ok ? ' of both changes' : ' when it fires'}`, () => {
      TemplateAssertions.load(alarm.path).hasResource(alarm.id, 'AWS::CloudWatch::Alarm', {
        Condition: alarm.condition ?? absent(),
        Properties: { ...alarm.properties, AlarmActions: [topic], OKActions: alarm.ok ? [topic] : absent() },
      });
    });
  }

  it('watches the overdue batch only while the Step Functions schedule is on', () => {
    TemplateAssertions.load(PIPELINE).hasCondition('ScheduledBatch', {
      'Fn::And': [{ Condition: 'StepFunctionsBatch' }, { Condition: 'BatchScheduleEnabled' }],
    });
    const created = (values: Record<string, string>) =>
      walkStacks(ROOT, { ...branchValues('master'), ...values })
        .find((s) => s.path === PIPELINE)!
        .resources.filter((r) => r.type === 'AWS::CloudWatch::Alarm' && r.created)
        .map((r) => r.id);
    expect(created({})).to.deep.equal(['BatchRunFailedAlarm']);
    expect(created({ EnableBatchSchedule: 'yes' })).to.deep.equal(['BatchRunFailedAlarm', 'BatchOverdueAlarm']);
    expect(created({ EnableBatchSchedule: 'yes', BatchEngine: 'data-pipeline' })).to.deep.equal([]);
  });

  it("names the API's own stack as ApiName, so two branches' APIs in one account never share a metric", () => {
    TemplateAssertions.load(SERVICE).hasResource('API', 'AWS::Serverless::Api', {
      Properties: { Name: { Ref: 'AWS::StackName' } },
    });
  });
});

/** The SnsAlarm objects of the templates' Data Pipeline pipelines, by id (the legacy batch's alarms). */
function pipelineAlarms(path: string): string[] {
  return Object.values(TemplateAssertions.load(path).findResources('AWS::DataPipeline::Pipeline')).flatMap(
    (pipeline: Json) =>
      (pipeline.Properties.PipelineObjects as Json[])
        .map((entry) => (entry['Fn::If'] ? entry['Fn::If'][1] : entry) as Json)
        .filter((object) => object.Fields?.some((f: Json) => f.Key === 'type' && f.StringValue === 'SnsAlarm'))
        .map((object) => object.Id as string),
  );
}

describe('the legacy batch engine (Data Pipeline)', () => {
  const pipeline = TemplateAssertions.load(PIPELINE).resource('EMRPipeline') as Json;
  const objects = new Map((pipeline.Properties.PipelineObjects as Json[]).map((o) => [o.Id as string, o]));
  const field = (id: string, key: string) => (objects.get(id)!.Fields as Json[]).find((f) => f.Key === key);

  it('tells the alarm topic, as the pipeline role, when any object fails', () => {
    expect(pipelineAlarms(PIPELINE)).to.deep.equal(['BatchFailedAlarm']);
    expect(field('BatchFailedAlarm', 'topicArn')).to.deep.equal({
      Key: 'topicArn',
      StringValue: { Ref: 'AlarmTopicArn' },
    });
    expect(field('BatchFailedAlarm', 'role')).to.deep.equal({ Key: 'role', StringValue: { Ref: 'PipelineRole' } });
    expect(field('Default', 'onFail')).to.deep.equal({ Key: 'onFail', RefValue: 'BatchFailedAlarm' });
  });

  it('lets the pipeline role publish to the topic and use its key, only under the legacy engine', () => {
    const app = TemplateAssertions.load(ROOT);
    app.hasResource('PipelineAlarmPolicy', 'AWS::IAM::Policy', {
      Condition: 'LegacyBatch',
      Properties: {
        Roles: [{ Ref: 'PipelineRole' }],
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: 'AlarmTopic' } },
            {
              Effect: 'Allow',
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Resource: { 'Fn::GetAtt': ['AlarmTopicKey', 'Arn'] },
            },
          ],
        },
      },
    });
    const created = (values: Record<string, string>) =>
      walkStacks(ROOT, { ...branchValues('master'), ...values })[0]!.resources.find(
        (r) => r.id === 'PipelineAlarmPolicy',
      )!.created;
    expect(created({})).to.equal(false);
    expect(created({ BatchEngine: 'data-pipeline' })).to.equal(true);
  });
});

describe('the runbook (docs/operations.md)', () => {
  const runbook = readFileSync(join(projectRoot(), 'docs', 'operations.md'), 'utf8');
  /** The alarm sections: each `### ` heading (up to the next heading), with the logical ids it names in backticks. */
  const sections = runbook
    .split(/^### /m)
    .slice(1)
    .map((section) => section.split(/^## /m)[0]!)
    .map((section) => ({
      ids: [...section.split('\n')[0]!.matchAll(/`([A-Za-z0-9]+)`/g)].map((m) => m[1]!),
      body: section,
    }));

  it("has a section for every alarm the templates create (CloudWatch alarms and the legacy pipeline's SnsAlarm), and none for an alarm they do not", () => {
    const created = generatedTemplates().flatMap((path) => [
      ...Object.keys(TemplateAssertions.load(path).findResources('AWS::CloudWatch::Alarm')),
      ...pipelineAlarms(path),
    ]);
    const documented = sections.flatMap((s) => s.ids);
    expect(documented).to.have.members(created);
    expect(new Set(documented).size).to.equal(documented.length);
  });

  it('says for each what it means, what to run first and what data is at risk', () => {
    for (const section of sections) {
      for (const part of ['**Means:**', '**First:**', '**At risk:**'])
        expect(section.body, `${section.ids.join(', ')}: ${part}`).to.include(part);
    }
  });
});

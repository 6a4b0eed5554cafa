import { expect } from 'chai';
import { isDeepStrictEqual } from 'node:util';
import { AWS, getAtt, join as fnJoin, ref } from '../../src/cfn/intrinsics';
import { TemplateError } from '../../src/errors';
import { parseMetric } from '../../src/lambdas/publish-to-cloudwatch/metrics';
import { countDocument } from '../../src/lambdas/shared/metrics';
import { dashboardBody } from '../../src/stacks/shared/dashboard';
import { isConditionTrue, stackContext } from '../support/conditions';
import { TemplateAssertions, absent, exact } from '../support/template';
import { originalIds } from './original';

const PATH = 'templates-out/advertising/realtime.yaml';

type Json = Record<string, any>;

function statementsOf(role: Json): Json[] {
  return (role.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement as Json[]);
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

const STREAM_ARN = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/dataless-impressions';

describe('realtime.yaml (real-time advertising metrics)', () => {
  const template = TemplateAssertions.load(PATH);
  const properties = (id: string) => (template.resource(id) as Json).Properties as Json;

  it("adds only the publisher's log group and its errors alarm to the original real-time resources (their ids and types: original-resources.test.ts)", () => {
    // the additions are the publisher's own log group, which its role is scoped to, and the alarm on its errors
    template.resource('RealTimeAdvertisingLambdaLogs', 'AWS::Logs::LogGroup');
    template.resource('RealTimeAdvertisingLambdaErrorsAlarm', 'AWS::CloudWatch::Alarm');
    expect(Object.keys(template.section('Resources'))).to.have.members([
      ...originalIds(PATH),
      'RealTimeAdvertisingLambdaLogs',
      'RealTimeAdvertisingLambdaErrorsAlarm',
    ]);
    expect(template.json.Transform).to.equal('AWS::Serverless-2016-10-31');
  });

  describe('parameters', () => {
    it("takes the two delivery stream ARNs, the engine switch, the alarm topic and the roles' permissions boundary, nothing else", () => {
      expect(Object.keys(template.section('Parameters'))).to.have.members([
        'ImpressionsDeliveryStreamArn',
        'ClicksDeliveryStreamArn',
        'RealTimeEngine',
        'AlarmTopicArn',
        'PermissionsBoundaryArn',
      ]);
    });

    it('selects the capture-metrics engine unless told kinesis-analytics-sql', () => {
      template.hasParameter('RealTimeEngine', {
        Type: 'String',
        Default: 'capture-metrics',
        AllowedValues: exact(['capture-metrics', 'kinesis-analytics-sql']),
      });
    });

    it('accepts delivery stream ARNs and rejects other ARNs', () => {
      for (const id of ['ImpressionsDeliveryStreamArn', 'ClicksDeliveryStreamArn']) {
        const pattern = new RegExp(template.section('Parameters')[id]!.AllowedPattern as string);
        expect(pattern.test(STREAM_ARN), id).to.equal(true);
        expect(pattern.test('arn:aws-cn:firehose:cn-north-1:123456789012:deliverystream/x'), id).to.equal(true);
        expect(pattern.test('arn:aws:s3:::dataless-data'), id).to.equal(false);
        expect(pattern.test('dataless-impressions'), id).to.equal(false);
      }
    });
  });

  describe('engine switch', () => {
    const LEGACY = [
      'RealTimeAdvertisingLambdaLogs',
      'RealTimeAdvertisingLambdaRole',
      'RealTimeAdvertisingLambda',
      'RealTimeAdvertisingLambdaErrorsAlarm',
      'RealTimeAdvertisingApplicationRole',
      'RealTimeImpressionsApplication',
      'RealTimeImpressionsOutputs',
      'RealTimeClicksApplication',
      'RealTimeClicksOutputs',
    ];
    /** The ids of the resources created under an engine value. */
    const createdUnder = (engine: string): string[] => {
      const ctx = stackContext(PATH, template.json, {
        ImpressionsDeliveryStreamArn: STREAM_ARN,
        ClicksDeliveryStreamArn: STREAM_ARN.replace('impressions', 'clicks'),
        RealTimeEngine: engine,
        AlarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:alarms',
      });
      return Object.entries(template.section('Resources'))
        .filter(([, r]) => r.Condition === undefined || isConditionTrue(r.Condition as string, ctx))
        .map(([id]) => id);
    };

    it('holds LegacyRealTime exactly when the engine is kinesis-analytics-sql', () => {
      template.hasCondition('LegacyRealTime', { 'Fn::Equals': [{ Ref: 'RealTimeEngine' }, 'kinesis-analytics-sql'] });
      expect(Object.keys(template.section('Conditions'))).to.have.members([
        'LegacyRealTime',
        'PermissionsBoundaryGiven',
      ]);
    });

    it('puts the applications, their role and outputs, the publisher, its role, log group and alarm under LegacyRealTime', () => {
      for (const id of LEGACY) expect(template.resource(id).Condition, id).to.equal('LegacyRealTime');
    });

    it('keeps the dashboard and its output for both engines', () => {
      expect(template.resource('RealTimeAdvertisingDashboard').Condition).to.equal(undefined);
      template.hasOutput('Dashboard', { Condition: absent() });
    });

    it('creates only the dashboard under capture-metrics', () => {
      expect(createdUnder('capture-metrics')).to.deep.equal(['RealTimeAdvertisingDashboard']);
    });

    it('creates every original resource under kinesis-analytics-sql', () => {
      expect(createdUnder('kinesis-analytics-sql')).to.have.members([...LEGACY, 'RealTimeAdvertisingDashboard']);
    });

    it('lets no unconditional resource refer to a legacy one, which would not exist under capture-metrics', () => {
      const text = JSON.stringify(template.resource('RealTimeAdvertisingDashboard'));
      for (const id of LEGACY) expect(text, id).to.not.include(id);
    });
  });

  describe('dashboard', () => {
    /** The body as CloudFormation would render it in `region`. */
    const renderedBody = (region: string): Json => {
      const text = properties('RealTimeAdvertisingDashboard').DashboardBody['Fn::Sub'] as string;
      expect(text, 'only the region is substituted').to.not.match(/\$\{(?!AWS::Region\})/);
      return JSON.parse(text.replace(/\$\{AWS::Region\}/g, region));
    };

    it('shows the last hour with each widget keeping its own period', () => {
      const body = renderedBody('eu-west-1');
      expect(body.start).to.equal('-PT1H');
      expect(body.periodOverride).to.equal('inherit');
    });

    it("charts the clickthrough rate of the stack's own region, minute by minute", () => {
      // given the body rendered in some region
      const body = renderedBody('eu-west-1');
      // then its one widget reads that region's per-minute sums
      expect(body.widgets).to.have.length(1);
      const widget = body.widgets[0];
      expect(widget).to.deep.include({ type: 'metric', width: 24, height: 12 });
      expect(widget.properties).to.deep.include({
        title: 'Clickthrough Rate',
        region: 'eu-west-1',
        view: 'timeSeries',
        stat: 'Sum',
        period: 60,
      });
    });

    it("charts the metrics both engines write: the capture functions' EMF counts and the legacy publisher's rows", () => {
      // given the metric lines of the dashboard (namespace, name, options; no dimension pairs)
      const rows = (renderedBody('us-east-1').widgets[0].properties.metrics as unknown[][]).filter(
        (row) => typeof row[0] === 'string',
      );
      const charted = rows.map((row) => ({ namespace: row[0], name: row[1], dimensions: row.length - 3 }));
      // when each engine counts impressions and clicks
      const emf = (['Impressions', 'Clicks'] as const).map((m) => countDocument(m, 1, 0)._aws.CloudWatchMetrics[0]!);
      const sql = ['RealTimeImpressionsApplication', 'RealTimeClicksApplication'].map(
        (id) => properties(id).ApplicationCode as string,
      );
      // then every charted metric is one each engine writes, with no dimensions in either
      for (const { namespace, name, dimensions } of charted) {
        expect(dimensions, `${name} dimensions`).to.equal(0);
        expect(
          emf.some(
            (d) => d.Namespace === namespace && d.Metrics[0]!.Name === name && isDeepStrictEqual(d.Dimensions, [[]]),
          ),
          `EMF ${name}`,
        ).to.equal(true);
        expect(
          sql.some((code) => code.includes(`'${namespace}' AS "namespace"`) && code.includes(`'${name}' AS "name"`)),
          `SQL ${name}`,
        ).to.equal(true);
      }
      expect(charted.map((c) => c.name)).to.have.members(['Impressions', 'Clicks']);
    });

    it('divides clicks by impressions of the Warehouse/Advertising namespace, on the right axis from 0 to 1', () => {
      const { metrics, yAxis } = renderedBody('us-east-1').widgets[0].properties;
      expect(metrics).to.deep.equal([
        [{ expression: 'clicks/impressions', label: 'Clickthrough Rate', yAxis: 'right' }],
        ['Warehouse/Advertising', 'Clicks', { id: 'clicks' }],
        ['Warehouse/Advertising', 'Impressions', { id: 'impressions' }],
      ]);
      expect(yAxis.right).to.include({ min: 0, max: 1 });
      expect(yAxis.left).to.include({ min: 0 });
    });

    describe('body rendering', () => {
      it('turns handles and pseudo parameters into references and escapes literal ${', () => {
        // given a body with a pseudo parameter, a Ref, a GetAtt and a literal "${"
        const body = {
          widgets: [],
          region: AWS.Region,
          name: ref('Table'),
          arn: getAtt('Table', 'Arn'),
          note: 'costs ${5}',
        };
        // when rendered
        const text = (dashboardBody(body as never).toJSON() as Json)['Fn::Sub'];
        // then references stay resolvable and the literal stays literal
        expect(JSON.parse(text)).to.deep.equal({
          widgets: [],
          region: '${AWS::Region}',
          name: '${Table}',
          arn: '${Table.Arn}',
          note: 'costs ${!5}',
        });
      });

      it('rejects intrinsics it cannot place inside a string', () => {
        const body = { widgets: [], title: fnJoin('-', ['a', 'b']) };
        expect(() => dashboardBody(body as never)).to.throw(TemplateError, /Fn::Join/);
      });
    });
  });

  describe('metric publisher', () => {
    it('runs the publish-to-cloudwatch bundle on Node.js 22 under its own role and log group', () => {
      template.hasResource('RealTimeAdvertisingLambda', 'AWS::Serverless::Function', {
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          CodeUri: '../../dist/lambdas/publish-to-cloudwatch.zip',
          Role: { 'Fn::GetAtt': ['RealTimeAdvertisingLambdaRole', 'Arn'] },
          LoggingConfig: { LogGroup: { Ref: 'RealTimeAdvertisingLambdaLogs' } },
        },
      });
    });

    it('may publish metrics only to the advertising namespace', () => {
      const statements = statementsOf(template.resource('RealTimeAdvertisingLambdaRole') as Json);
      const put = statements.filter((s) => asList(s.Action).includes('cloudwatch:PutMetricData'));
      expect(put).to.have.length(1);
      expect(put[0]!.Condition).to.deep.equal({ StringEquals: { 'cloudwatch:namespace': 'Warehouse/Advertising' } });
    });

    it('may write logs only to its own log group', () => {
      const statements = statementsOf(template.resource('RealTimeAdvertisingLambdaRole') as Json);
      const logs = statements.filter((s) => asList(s.Action).some((a) => String(a).startsWith('logs:')));
      expect(logs).to.deep.equal([
        {
          Effect: 'Allow',
          Sid: 'WriteOwnLogs',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': ['RealTimeAdvertisingLambdaLogs', 'Arn'] },
        },
      ]);
      template.hasResource('RealTimeAdvertisingLambdaRole', 'AWS::IAM::Role', {
        Properties: { ManagedPolicyArns: absent() },
      });
    });

    it('is assumable by Lambda only', () => {
      template.hasResource('RealTimeAdvertisingLambdaRole', 'AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: exact([
              { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
            ]),
          },
        },
      });
    });
  });

  describe('IAM', () => {
    it('grants no bare "*" action, and "*" resources only to calls that have no resource ARNs', () => {
      const unscopable = new Set(['cloudwatch:PutMetricData', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
      for (const id of ['RealTimeAdvertisingLambdaRole', 'RealTimeAdvertisingApplicationRole']) {
        for (const statement of statementsOf(template.resource(id) as Json)) {
          const actions = asList(statement.Action) as string[];
          for (const action of actions) expect(action, `${id} ${statement.Sid}`).to.not.match(/^(\*|[a-z0-9-]+:\*)$/);
          if (asList(statement.Resource).includes('*')) {
            expect(
              actions.every((a) => unscopable.has(a)),
              `${id} ${statement.Sid}`,
            ).to.equal(true);
          }
        }
      }
    });

    it('lets the applications read exactly the two delivery streams and invoke exactly the publisher', () => {
      // given the application role
      const role = template.resource('RealTimeAdvertisingApplicationRole') as Json;
      // then only Kinesis Analytics assumes it, with no managed policy
      expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).to.deep.equal({
        Service: ['kinesisanalytics.amazonaws.com'],
      });
      expect(role.Properties.ManagedPolicyArns).to.equal(undefined);
      // and its grants name their resources
      expect(statementsOf(role)).to.deep.equal([
        {
          Effect: 'Allow',
          Sid: 'ReadDeliveryStreams',
          Action: ['firehose:DescribeDeliveryStream', 'firehose:Get*'],
          Resource: [{ Ref: 'ImpressionsDeliveryStreamArn' }, { Ref: 'ClicksDeliveryStreamArn' }],
        },
        {
          Effect: 'Allow',
          Sid: 'DeliverToPublisher',
          Action: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
          Resource: { 'Fn::GetAtt': ['RealTimeAdvertisingLambda', 'Arn'] },
        },
      ]);
    });
  });

  describe('Kinesis Analytics applications', () => {
    const apps = [
      {
        id: 'RealTimeImpressionsApplication',
        prefix: 'impressions',
        stream: 'ImpressionsDeliveryStreamArn',
        metric: 'Impressions',
        columns: ['ad_id', 'impression_id', 'occurred_at'],
      },
      {
        id: 'RealTimeClicksApplication',
        prefix: 'clicks',
        stream: 'ClicksDeliveryStreamArn',
        metric: 'Clicks',
        columns: ['ad_id', 'impression_id', 'click_id', 'occurred_at'],
      },
    ];

    for (const app of apps) {
      describe(app.id, () => {
        it(`reads JSON ${app.prefix} from its delivery stream`, () => {
          const inputs = properties(app.id).Inputs as Json[];
          expect(inputs).to.have.length(1);
          expect(inputs[0]!.NamePrefix).to.equal(app.prefix);
          expect(inputs[0]!.KinesisFirehoseInput).to.deep.equal({
            ResourceARN: { Ref: app.stream },
            RoleARN: { 'Fn::GetAtt': ['RealTimeAdvertisingApplicationRole', 'Arn'] },
          });
          expect(inputs[0]!.InputSchema.RecordEncoding).to.equal('UTF-8');
          expect(inputs[0]!.InputSchema.RecordFormat).to.deep.equal({
            RecordFormatType: 'JSON',
            MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
          });
        });

        it('maps every field of a captured record to a column of the same name', () => {
          const columns = (properties(app.id).Inputs as Json[])[0]!.InputSchema.RecordColumns as Json[];
          expect(columns.map((c) => c.Name)).to.deep.equal(app.columns);
          for (const column of columns) {
            expect(column.Mapping).to.equal(`$.${column.Name}`);
            expect(column.SqlType).to.equal(column.Name === 'occurred_at' ? 'TIMESTAMP' : 'VARCHAR(64)');
          }
        });

        it(`counts the ${app.prefix} of each minute into the metrics stream as ${app.metric}`, () => {
          const sql = properties(app.id).ApplicationCode as string;
          const minute = `STEP("${app.prefix}_001".ROWTIME BY INTERVAL '60' SECOND)`;
          expect(sql).to.match(
            /CREATE OR REPLACE STREAM "metrics" \(\s*"namespace" VARCHAR\(255\),\s*"name" VARCHAR\(255\),\s*"at" TIMESTAMP,\s*"value" DOUBLE\s*\);/,
          );
          expect(sql).to.match(/CREATE OR REPLACE PUMP "\w+" AS\s+INSERT INTO "metrics"\s+SELECT STREAM/);
          expect(sql).to.include(`'Warehouse/Advertising' AS "namespace"`);
          expect(sql).to.include(`'${app.metric}' AS "name"`);
          expect(sql).to.include(`${minute} AS "at"`);
          expect(sql).to.include(`CAST(COUNT(*) AS DOUBLE) AS "value"`);
          expect(sql).to.include(`FROM "${app.prefix}_001"`);
          expect(sql).to.include(`GROUP BY ${minute};`);
        });
      });
    }

    it('emits rows the publisher accepts', () => {
      // given a row with the columns of the metrics stream, as the JSON output writes it
      const sql = properties('RealTimeClicksApplication').ApplicationCode as string;
      const columns = [...sql.matchAll(/^\s+"(\w+)" (?:VARCHAR|TIMESTAMP|DOUBLE)/gm)].map((m) => m[1]);
      const sample: Record<string, unknown> = {
        namespace: 'Warehouse/Advertising',
        name: 'Clicks',
        at: '2024-05-01 12:34:00.000',
        value: 17,
      };
      const row = Object.fromEntries(columns.map((c) => [c, sample[c!]]));
      // when the publisher parses it
      const parsed = parseMetric(
        Buffer.from(JSON.stringify(row)).toString('base64'),
        Date.parse('2024-05-01T12:40:00Z'),
      );
      // then it becomes a metric
      expect(parsed).to.deep.equal({
        ok: true,
        metric: { namespace: 'Warehouse/Advertising', name: 'Clicks', at: new Date('2024-05-01T12:34:00Z'), value: 17 },
      });
    });

    for (const [id, app] of [
      ['RealTimeImpressionsOutputs', 'RealTimeImpressionsApplication'],
      ['RealTimeClicksOutputs', 'RealTimeClicksApplication'],
    ] as const) {
      it(`${id} delivers the metrics stream of ${app} to the publisher as JSON`, () => {
        template.hasResource(id, 'AWS::KinesisAnalytics::ApplicationOutput', {
          DependsOn: absent(),
          Properties: {
            ApplicationName: { Ref: app },
            Output: {
              Name: 'metrics',
              DestinationSchema: { RecordFormatType: 'JSON' },
              LambdaOutput: {
                ResourceARN: { 'Fn::GetAtt': ['RealTimeAdvertisingLambda', 'Arn'] },
                RoleARN: { 'Fn::GetAtt': ['RealTimeAdvertisingApplicationRole', 'Arn'] },
              },
            },
          },
        });
      });
    }
  });

  describe('outputs', () => {
    it('names the dashboard', () => {
      template.hasOutput('Dashboard', { Value: { Ref: 'RealTimeAdvertisingDashboard' } });
      expect(Object.keys(template.section('Outputs'))).to.deep.equal(['Dashboard']);
    });
  });
});

// The Kinesis Data Analytics (SQL) engine of the real-time metrics: one
// application per delivery stream counts the records that arrive each
// minute and hands the counts, as metric rows, to the publisher function.
// The legacy engine: AWS takes no new SQL applications, so every resource
// here is created only when the stack's RealTimeEngine selects it.
import type { Input, RecordColumn } from 'cloudform-types/types/kinesisAnalytics/application';
import type { Condition, Parameter, Resource, Template } from '../../../../cfn/template';
import { inlinePolicy, serviceTrust } from '../../../shared/iam';
import { CLICKS_METRIC, COUNT_PERIOD_SECONDS, IMPRESSIONS_METRIC, type MetricName } from '../metrics';

/** A column of an in-application stream. */
export interface StreamColumn {
  readonly name: string;
  readonly sqlType: string;
}

/** One event source: a delivery stream of JSON records and the metric counted from it. */
export interface EventSource {
  /** The stem of its logical ids: `RealTime${stem}Application`, `RealTime${stem}Outputs`. */
  readonly stem: 'Impressions' | 'Clicks';
  /** Prefix of the in-application input stream; the service appends `_001`. */
  readonly namePrefix: string;
  /** The fields of each JSON record, as columns. */
  readonly columns: readonly StreamColumn[];
  /** The metric its per-minute count is published as. */
  readonly metric: MetricName;
}

const ID = 'VARCHAR(64)';

export const IMPRESSION_EVENTS: EventSource = {
  stem: 'Impressions',
  namePrefix: 'impressions',
  columns: [
    { name: 'ad_id', sqlType: ID },
    { name: 'impression_id', sqlType: ID },
    { name: 'occurred_at', sqlType: 'TIMESTAMP' },
  ],
  metric: IMPRESSIONS_METRIC,
};

export const CLICK_EVENTS: EventSource = {
  stem: 'Clicks',
  namePrefix: 'clicks',
  columns: [
    { name: 'ad_id', sqlType: ID },
    { name: 'impression_id', sqlType: ID },
    { name: 'click_id', sqlType: ID },
    { name: 'occurred_at', sqlType: 'TIMESTAMP' },
  ],
  metric: CLICKS_METRIC,
};

/** The in-application stream the counts are written to, and the columns the publisher reads. */
export const METRICS_STREAM = 'metrics';
export const METRIC_COLUMNS: readonly StreamColumn[] = [
  { name: 'namespace', sqlType: 'VARCHAR(255)' },
  { name: 'name', sqlType: 'VARCHAR(255)' },
  { name: 'at', sqlType: 'TIMESTAMP' },
  { name: 'value', sqlType: 'DOUBLE' },
];

/** The in-application stream the service creates for an input. */
export function inputStreamName(source: EventSource): string {
  return `${source.namePrefix}_001`;
}

/** A SQL string literal. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The application code: a tumbling one-minute window over the arrival time
 * (ROWTIME) of the records, emitting one metric row per minute that saw any.
 * `at` is the start of the minute.
 */
export function countPerMinuteSql(source: EventSource): string {
  const input = `"${inputStreamName(source)}"`;
  const minute = `STEP(${input}.ROWTIME BY INTERVAL '${COUNT_PERIOD_SECONDS}' SECOND)`;
  const columns = METRIC_COLUMNS.map((c) => `    "${c.name}" ${c.sqlType}`).join(',\n');
  return `CREATE OR REPLACE STREAM "${METRICS_STREAM}" (
${columns}
);

-- One row per minute: how many ${source.namePrefix} arrived in it.
CREATE OR REPLACE PUMP "count_per_minute" AS
    INSERT INTO "${METRICS_STREAM}"
    SELECT STREAM
        ${literal(source.metric.namespace)} AS "namespace",
        ${literal(source.metric.name)} AS "name",
        ${minute} AS "at",
        CAST(COUNT(*) AS DOUBLE) AS "value"
    FROM ${input}
    GROUP BY ${minute};
`;
}

/** How the service reads a source's JSON records into columns. */
export function inputSchema(source: EventSource): Input['InputSchema'] {
  return {
    RecordEncoding: 'UTF-8',
    RecordFormat: {
      RecordFormatType: 'JSON',
      MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
    },
    RecordColumns: source.columns.map((c): RecordColumn => ({
      Name: c.name,
      SqlType: c.sqlType,
      Mapping: `$.${c.name}`,
    })),
  };
}

/** What the applications read from and write to. */
export interface KinesisAnalyticsWiring {
  /** ARN of the impressions delivery stream. */
  readonly impressionsStreamArn: Parameter;
  /** ARN of the clicks delivery stream. */
  readonly clicksStreamArn: Parameter;
  /** The function the metric rows are delivered to. */
  readonly publisher: Resource<'AWS::Serverless::Function'>;
  /** The condition every resource here is created under. */
  readonly condition: Condition;
}

/** Declares the applications' role, the two applications and their outputs, all under `wiring.condition`. */
export function declareKinesisAnalytics(t: Template, wiring: KinesisAnalyticsWiring): void {
  const { condition } = wiring;
  const sources = [
    { source: IMPRESSION_EVENTS, streamArn: wiring.impressionsStreamArn },
    { source: CLICK_EVENTS, streamArn: wiring.clicksStreamArn },
  ];
  const publisherArn = wiring.publisher.getAtt('Arn');

  const role = t.resource(
    'RealTimeAdvertisingApplicationRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['kinesisanalytics']),
      Policies: [
        inlinePolicy('ReadStreamsAndPublish', [
          {
            Sid: 'ReadDeliveryStreams',
            Action: ['firehose:DescribeDeliveryStream', 'firehose:Get*'],
            Resource: sources.map((s) => s.streamArn),
          },
          {
            Sid: 'DeliverToPublisher',
            Action: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
            Resource: publisherArn,
          },
        ]),
      ],
    },
    { condition },
  );
  const roleArn = role.getAtt('Arn');

  for (const { source, streamArn } of sources) {
    const application = t.resource(
      `RealTime${source.stem}Application`,
      'AWS::KinesisAnalytics::Application',
      {
        ApplicationDescription: `Counts the ${source.namePrefix} arriving each minute`,
        ApplicationCode: countPerMinuteSql(source),
        Inputs: [
          {
            NamePrefix: source.namePrefix,
            KinesisFirehoseInput: { ResourceARN: streamArn, RoleARN: roleArn },
            InputSchema: inputSchema(source),
          },
        ],
      },
      { condition },
    );
    t.resource(
      `RealTime${source.stem}Outputs`,
      'AWS::KinesisAnalytics::ApplicationOutput',
      {
        ApplicationName: application,
        Output: {
          Name: METRICS_STREAM,
          DestinationSchema: { RecordFormatType: 'JSON' },
          LambdaOutput: { ResourceARN: publisherArn, RoleARN: roleArn },
        },
      },
      { condition },
    );
  }
}

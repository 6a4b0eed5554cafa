// The operations dashboard's sections, top to bottom: each is a heading and
// the graphs under it. Graphs use SEARCH expressions, so new functions,
// streams and applications show up without a template change.
import {
  expression,
  graph,
  metric,
  search,
  singleValue,
  type MetricWidget,
  type SearchQuery,
  type Size,
  type Statistic,
} from '../../shared/dashboard';
import type { RealTimeEngine } from '../../shared/realtime-engine';
import {
  CLICKS_METRIC,
  COUNT_PERIOD_SECONDS,
  IMPRESSIONS_METRIC,
  type MetricName,
} from '../../advertising/realtime/metrics';

/** What the sections need from the stack, as body strings (see `stackValue`). */
export interface DashboardContext {
  /** The stack's region. */
  readonly region: string;
  /** The API stage the beacon endpoints are deployed to. */
  readonly stage: string;
  /** The data lake bucket's name. */
  readonly bucket: string;
}

/** A heading and the widgets under it. */
export interface Section {
  readonly heading: string;
  readonly widgets: readonly MetricWidget[];
}

const QUARTER: Size = { width: 6, height: 4 };
const THIRD: Size = { width: 8, height: 6 };
const HALF: Size = { width: 12, height: 4 };
const FULL: Size = { width: 24, height: 6 };
const MINUTE = 60;
const DAY = 86_400;

/** One graph of one SEARCH expression; `widgetDefaults` sets the widget's own period and statistic. */
function searchGraph(
  ctx: DashboardContext,
  size: Size,
  title: string,
  query: SearchQuery,
  widgetDefaults: { readonly period?: number; readonly stat?: Statistic } = {},
): MetricWidget {
  return graph({ ...size, ...widgetDefaults, title, region: ctx.region, metrics: [search(query)] });
}

function beaconEndpoints(ctx: DashboardContext): Section {
  const api = (metricName: string | readonly string[], stat: Statistic): SearchQuery => ({
    namespace: 'AWS/ApiGateway',
    dimensions: ['ApiName', 'Resource', 'Method', 'Stage'],
    metricName,
    filters: { Stage: ctx.stage },
    stat,
    period: MINUTE,
  });
  return {
    heading: 'Beacon Endpoints',
    widgets: [
      searchGraph(ctx, QUARTER, 'Request Rate', api('Count', 'Sum')),
      searchGraph(ctx, QUARTER, 'Latency', api('Latency', 'p95')),
      searchGraph(ctx, QUARTER, 'Integration Latency', api('IntegrationLatency', 'p95')),
      searchGraph(ctx, QUARTER, 'Errors', api(['4XXError', '5XXError'], 'Sum')),
    ],
  };
}

function firehoses(ctx: DashboardContext): Section {
  const stream = (metricName: string, stat: Statistic): SearchQuery => ({
    namespace: 'AWS/Firehose',
    dimensions: ['DeliveryStreamName'],
    metricName,
    stat,
    period: MINUTE,
  });
  return {
    heading: 'Firehoses',
    widgets: [
      searchGraph(ctx, THIRD, 'Incoming Records', stream('IncomingRecords', 'Sum')),
      searchGraph(ctx, THIRD, 'Incoming Bytes', stream('IncomingBytes', 'Sum')),
      searchGraph(ctx, THIRD, 'Successful Delivery To S3', stream('DeliveryToS3.Success', 'Sum')),
      searchGraph(ctx, THIRD, 'Records Delivered To S3', stream('DeliveryToS3.Records', 'Sum')),
      searchGraph(ctx, THIRD, 'Bytes Delivered To S3', stream('DeliveryToS3.Bytes', 'Sum'), {
        period: MINUTE,
        stat: 'Sum',
      }),
      searchGraph(ctx, THIRD, 'Delivery To S3 Data Freshness', stream('DeliveryToS3.DataFreshness', 'Maximum')),
    ],
  };
}

/** The metrics the capture functions publish (Embedded Metric Format), as the real-time dashboard reads them. */
function realTimeMetrics(ctx: DashboardContext): Section {
  const count = (name: MetricName, id: string) =>
    metric({
      namespace: name.namespace,
      metricName: name.name,
      stat: 'Sum',
      period: COUNT_PERIOD_SECONDS,
      id,
      label: name.name,
    });
  const impressions = count(IMPRESSIONS_METRIC, 'impressions');
  const clicks = count(CLICKS_METRIC, 'clicks');
  const clickthrough = [
    impressions,
    clicks,
    expression('100 * clicks / impressions', { id: 'clickthrough', label: 'Clickthrough (%)' }),
  ];
  return {
    heading: 'Real-Time Metrics',
    widgets: [
      graph({ ...HALF, title: 'Impressions Counted (per minute)', region: ctx.region, metrics: [impressions] }),
      graph({ ...HALF, title: 'Clicks Counted (per minute)', region: ctx.region, metrics: [clicks] }),
      graph({
        ...THIRD,
        width: 16,
        title: 'Clickthrough (%)',
        region: ctx.region,
        metrics: clickthrough.map((m, i) => (i < 2 ? { ...m, visible: false } : m)),
      }),
      singleValue({ ...THIRD, title: 'Latest Minute', region: ctx.region, metrics: clickthrough, sparkline: true }),
    ],
  };
}

function realTimeApp(ctx: DashboardContext): Section {
  const application = (metricName: string, stat: Statistic): SearchQuery => ({
    namespace: 'AWS/KinesisAnalytics',
    dimensions: ['Application'],
    metricName,
    stat,
    period: MINUTE,
  });
  const flow = (metricName: string, direction: 'Input' | 'Output', stat: Statistic): SearchQuery => ({
    namespace: 'AWS/KinesisAnalytics',
    dimensions: ['Application', 'Flow', 'Id'],
    metricName,
    filters: { Flow: direction },
    stat,
    period: MINUTE,
  });
  const per = (stat: Statistic) => ({ period: MINUTE, stat });
  return {
    heading: 'Real-Time App',
    widgets: [
      searchGraph(ctx, FULL, 'Success', application('Success', 'Average')),
      searchGraph(ctx, QUARTER, 'KPUs', application('KPUs', 'Average')),
      searchGraph(ctx, QUARTER, 'Input Lag (ms)', flow('MillisBehindLatest', 'Input', 'Maximum'), per('Maximum')),
      searchGraph(ctx, QUARTER, 'Input Records Processed', flow('Records', 'Input', 'Maximum'), per('Sum')),
      searchGraph(ctx, QUARTER, 'Input Bytes Processed', flow('Bytes', 'Input', 'Maximum'), per('Sum')),
      searchGraph(ctx, THIRD, 'Output Processing Success', flow('Bytes', 'Output', 'Average'), per('Sum')),
      searchGraph(ctx, THIRD, 'Output Processing Records', flow('Records', 'Output', 'Average'), per('Sum')),
      searchGraph(ctx, THIRD, 'Input Processing Bytes', flow('Bytes', 'Output', 'Average'), per('Average')),
      searchGraph(
        ctx,
        THIRD,
        'Lambda Delivery Success',
        flow('LambdaDelivery.OkRecords', 'Output', 'Average'),
        per('Sum'),
      ),
      searchGraph(
        ctx,
        THIRD,
        'Lambda Delivery Failures',
        flow('LambdaDelivery.DeliveryFailedRecords', 'Output', 'Average'),
        per('Sum'),
      ),
      searchGraph(
        ctx,
        THIRD,
        'Lambda Delivery Duration',
        flow('LambdaDelivery.Duration', 'Output', 'Average'),
        per('Average'),
      ),
    ],
  };
}

function lambdas(ctx: DashboardContext): Section {
  const fn = (metricName: string, stat: Statistic): SearchQuery => ({
    namespace: 'AWS/Lambda',
    dimensions: ['FunctionName'],
    metricName,
    stat,
    period: MINUTE,
  });
  return {
    heading: 'Lambdas',
    widgets: [
      searchGraph(ctx, QUARTER, 'Invocations', fn('Invocations', 'Sum')),
      searchGraph(ctx, QUARTER, 'Duration', fn('Duration', 'p95')),
      searchGraph(ctx, QUARTER, 'Errors', fn('Errors', 'Sum')),
      searchGraph(ctx, QUARTER, 'Dead Letter Errors', fn('DeadLetterErrors', 'Sum')),
      searchGraph(ctx, QUARTER, 'Concurrent Executions', fn('ConcurrentExecutions', 'Maximum')),
      // Reported for the account only, without a function dimension; a gauge, so its peak is what matters.
      searchGraph(ctx, QUARTER, 'Unreserved Concurrent Executions', {
        namespace: 'AWS/Lambda',
        dimensions: [],
        metricName: 'UnreservedConcurrentExecutions',
        stat: 'Maximum',
        period: MINUTE,
      }),
      searchGraph(ctx, QUARTER, 'Throttles', fn('Throttles', 'Sum')),
      searchGraph(ctx, QUARTER, 'Iterator Age', fn('IteratorAge', 'Maximum')),
    ],
  };
}

function dataLake(ctx: DashboardContext): Section {
  // Storage metrics come once a day per storage class; request metrics per minute per metrics configuration (FilterId).
  const storage = (metricName: string): SearchQuery => ({
    namespace: 'AWS/S3',
    dimensions: ['BucketName', 'StorageType'],
    metricName,
    filters: { BucketName: ctx.bucket },
    stat: 'Maximum',
    period: DAY,
  });
  const requests = (metricName: string, stat: Statistic): SearchQuery => ({
    namespace: 'AWS/S3',
    dimensions: ['BucketName', 'FilterId'],
    metricName,
    filters: { BucketName: ctx.bucket },
    stat,
    period: MINUTE,
  });
  return {
    heading: 'Data Lake',
    widgets: [
      searchGraph(ctx, HALF, 'Bucket Size (bytes)', storage('BucketSizeBytes')),
      searchGraph(ctx, HALF, 'Bucket Size (objects)', storage('NumberOfObjects')),
      searchGraph(ctx, QUARTER, 'All Requests', requests('AllRequests', 'Sum')),
      searchGraph(ctx, QUARTER, 'Get Requests', requests('GetRequests', 'Sum')),
      searchGraph(ctx, QUARTER, 'Put Requests', requests('PutRequests', 'Sum')),
      searchGraph(ctx, QUARTER, 'Select Requests', requests('SelectRequests', 'Sum')),
      searchGraph(ctx, QUARTER, 'Bytes Uploaded', requests('BytesUploaded', 'Sum')),
      searchGraph(ctx, QUARTER, 'Bytes Downloaded', requests('BytesDownloaded', 'Sum')),
      searchGraph(ctx, QUARTER, 'First Byte Latency', requests('FirstByteLatency', 'p95')),
      searchGraph(ctx, QUARTER, 'Total Request Latency', requests('TotalRequestLatency', 'p95')),
    ],
  };
}

/** Every section, in dashboard order. Athena and Glue ETL have headings only: their graphs are yet to be chosen. */
/**
 * The sections for a real-time engine. The original's Kinesis Analytics
 * section only has data under the legacy engine; the default engine's
 * section charts the metrics the capture functions publish instead.
 */
export function sections(ctx: DashboardContext, engine: RealTimeEngine = 'kinesis-analytics-sql'): Section[] {
  return [
    beaconEndpoints(ctx),
    firehoses(ctx),
    engine === 'kinesis-analytics-sql' ? realTimeApp(ctx) : realTimeMetrics(ctx),
    lambdas(ctx),
    dataLake(ctx),
    { heading: 'Athena', widgets: [] },
    { heading: 'Glue ETL Jobs', widgets: [] },
  ];
}

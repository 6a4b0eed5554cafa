// The real-time dashboard. Widgets are typed objects; the body is their JSON
// inside Fn::Sub, so that the region (and any other handle) resolves when the
// stack is deployed instead of being fixed here.
import { TemplateError } from '../../../errors';
import { AWS, GetAttIntrinsic, Intrinsic, RefIntrinsic, subWith } from '../../../cfn/intrinsics';
import { CLICKS_METRIC, COUNT_PERIOD_SECONDS, IMPRESSIONS_METRIC, type MetricName } from './metrics';

/** Rendering options of one line of a metric widget. */
export interface SeriesOptions {
  /** The name math expressions use for this line. */
  readonly id?: string;
  readonly label?: string;
  readonly yAxis?: 'left' | 'right';
  readonly visible?: boolean;
}

/** A metric math line: `expression` over the ids of other lines. */
export interface ExpressionOptions extends SeriesOptions {
  readonly expression: string;
}

/** One line of a metric widget: a metric (without dimensions) or an expression. */
export type MetricRow = readonly [namespace: string, name: string, options: SeriesOptions] | readonly [ExpressionOptions];

export interface Axis {
  readonly min?: number;
  readonly max?: number;
  readonly showUnits?: boolean;
  readonly label?: string;
}

/** A value that may be a handle or pseudo parameter, resolved at deploy time. */
export type Deferred = string | RefIntrinsic | GetAttIntrinsic;

export interface MetricWidgetProperties {
  readonly title: string;
  readonly region: Deferred;
  readonly metrics: readonly MetricRow[];
  readonly view: 'timeSeries' | 'singleValue' | 'bar' | 'pie';
  readonly stacked?: boolean;
  readonly stat?: string;
  readonly period?: number;
  readonly yAxis?: { readonly left?: Axis; readonly right?: Axis };
}

export interface MetricWidget {
  readonly type: 'metric';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: MetricWidgetProperties;
}

export interface DashboardBody {
  /** Default time range, e.g. `-PT1H` for the last hour. */
  readonly start?: string;
  /** `inherit` makes widgets keep their own period whatever the time range. */
  readonly periodOverride?: 'auto' | 'inherit';
  readonly widgets: readonly MetricWidget[];
}

/** A metric line. */
export function metricRow(metric: MetricName, options: SeriesOptions): MetricRow {
  return [metric.namespace, metric.name, options];
}

/** A metric math line. */
export function expressionRow(options: ExpressionOptions): MetricRow {
  return [options];
}

/** The dashboard body as `Fn::Sub` of its JSON, with handles and pseudo parameters as `${...}` references. */
export function dashboardBody(body: DashboardBody): Intrinsic {
  return subWith(JSON.stringify(withPlaceholders(body), null, 2));
}

function withPlaceholders(value: unknown): unknown {
  if (value instanceof RefIntrinsic) return '${' + value.target + '}';
  if (value instanceof GetAttIntrinsic) return '${' + value.target + '.' + value.attribute + '}';
  if (value instanceof Intrinsic) {
    throw new TemplateError(`a dashboard body can refer to handles and pseudo parameters only, not to ${value.fn}`);
  }
  if (typeof value === 'string') return value.replace(/\$\{/g, '${!');
  if (Array.isArray(value)) return value.map(withPlaceholders);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withPlaceholders(item)]));
  }
  return value;
}

/** The id the clickthrough expression uses for each metric. */
const IDS = { clicks: 'clicks', impressions: 'impressions' } as const;

/** The clickthrough rate (clicks per impression) on the right axis over the two counts on the left. */
export function clickthroughWidget(): MetricWidget {
  return {
    type: 'metric',
    x: 0,
    y: 0,
    width: 24,
    height: 12,
    properties: {
      title: 'Clickthrough Rate',
      region: AWS.Region,
      view: 'timeSeries',
      stacked: false,
      stat: 'Sum',
      period: COUNT_PERIOD_SECONDS,
      metrics: [
        expressionRow({ expression: `${IDS.clicks}/${IDS.impressions}`, label: 'Clickthrough Rate', yAxis: 'right' }),
        metricRow(CLICKS_METRIC, { id: IDS.clicks }),
        metricRow(IMPRESSIONS_METRIC, { id: IDS.impressions }),
      ],
      yAxis: {
        left: { min: 0, showUnits: false },
        right: { min: 0, max: 1, showUnits: false },
      },
    },
  };
}

/** The whole real-time advertising dashboard: the last hour, minute by minute. */
export function advertisingDashboard(): DashboardBody {
  return { start: '-PT1H', periodOverride: 'inherit', widgets: [clickthroughWidget()] };
}

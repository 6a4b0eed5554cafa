// Typed pieces of a CloudWatch dashboard body: widgets, the metrics they
// plot, and the body itself, for every dashboard of every stack. The body is
// built as an object and serialized once; values from the stack are written
// as Fn::Sub variables, so nothing here is a hand-written JSON string.
import { TemplateError } from '../../errors';
import { GetAttIntrinsic, Intrinsic, RefIntrinsic, subWith } from '../../cfn/intrinsics';

/** A CloudWatch statistic: the five named ones or a percentile such as p95. */
export type Statistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum' | `p${number}`;

/** A metric by namespace, name and dimensions. */
export interface MetricStat {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension values by dimension name. @default none */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** @default the widget's statistic */
  readonly stat?: Statistic;
  /** Seconds. @default the widget's period */
  readonly period?: number;
  /** @default CloudWatch's generated label */
  readonly label?: string;
  /** Id for use in math expressions. @default none */
  readonly id?: string;
  /** Draw it, or only use it in expressions. @default true */
  readonly visible?: boolean;
  /** The axis it is drawn against. @default 'left' */
  readonly yAxis?: AxisSide;
}

/** A metric math or search expression. */
export interface MetricExpression {
  readonly expression: string;
  /** @default CloudWatch's generated label */
  readonly label?: string;
  /** @default none */
  readonly id?: string;
  /** Seconds. @default the widget's period */
  readonly period?: number;
  /** @default true */
  readonly visible?: boolean;
  /** @default 'left' */
  readonly yAxis?: AxisSide;
}

/** A side of a graph that a line can be drawn against. */
export type AxisSide = 'left' | 'right';

/** The scale of one vertical axis. */
export interface Axis {
  /** @default fitted to the data */
  readonly min?: number;
  /** @default fitted to the data */
  readonly max?: number;
  /** Show the metrics' unit beside the axis. @default true */
  readonly showUnits?: boolean;
  /** @default none */
  readonly label?: string;
}

/** One line (or set of lines) of a metric widget. */
export type MetricDefinition = MetricStat | MetricExpression;

/** What a SEARCH expression looks for. */
export interface SearchQuery {
  readonly namespace: string;
  /** The dimension schema: the metric's full set of dimension names. */
  readonly dimensions: readonly string[];
  /** One metric name, or several that any may match. */
  readonly metricName: string | readonly string[];
  /** Dimension values that must match exactly, by dimension name. @default none */
  readonly filters?: Readonly<Record<string, string>>;
  readonly stat: Statistic;
  /** Seconds. */
  readonly period: number;
}

/** A metric given by name. */
export function metric(definition: MetricStat): MetricStat {
  return definition;
}

/** A metric math expression. */
export function expression(text: string, options: Omit<MetricExpression, 'expression'> = {}): MetricExpression {
  return { expression: text, ...options };
}

/** A SEARCH expression: every metric of a dimension schema matching the name and filters. */
export function search(query: SearchQuery, options: Omit<MetricExpression, 'expression'> = {}): MetricExpression {
  const schema = `{${[query.namespace, ...query.dimensions].join(',')}}`;
  const names = typeof query.metricName === 'string' ? [query.metricName] : query.metricName;
  const nameTerm =
    names.length === 1
      ? `MetricName=${quote(names[0]!)}`
      : `(${names.map((n) => `MetricName=${quote(n)}`).join(' OR ')})`;
  const filters = Object.entries(query.filters ?? {}).map(([name, value]) => `${name}=${quote(value)}`);
  const terms = [schema, nameTerm, ...filters].join(' ');
  return expression(`SEARCH('${terms}', '${query.stat}', ${query.period})`, options);
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The size of a widget on the 24-column grid. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** A Markdown text widget. */
export interface TextWidget extends Size {
  readonly type: 'text';
  readonly properties: { readonly markdown: string; readonly background?: 'solid' | 'transparent' };
}

/** Properties of a metric widget, as CloudWatch spells them. */
export interface MetricWidgetProperties {
  /** Each entry is `[namespace, name, dimension, value, ..., options]` or `[{ expression, ... }]`. */
  readonly metrics: readonly (readonly unknown[])[];
  readonly region: string;
  readonly title: string;
  readonly view: 'timeSeries' | 'singleValue' | 'bar' | 'pie' | 'gauge';
  readonly period?: number;
  readonly stat?: Statistic;
  readonly stacked?: boolean;
  readonly liveData?: boolean;
  readonly sparkline?: boolean;
  readonly legend?: { readonly position: LegendPosition };
  readonly yAxis?: { readonly left?: Axis; readonly right?: Axis };
}

/** A widget that plots metrics. */
export interface MetricWidget extends Size {
  readonly type: 'metric';
  readonly properties: MetricWidgetProperties;
}

export type Widget = TextWidget | MetricWidget;

export type LegendPosition = 'right' | 'bottom' | 'hidden';

/** What every metric widget says. */
export interface MetricWidgetOptions extends Size {
  readonly title: string;
  readonly metrics: readonly MetricDefinition[];
  /** The region the metrics are in; usually `stackValue(AWS.Region)`. */
  readonly region: string;
  /** Default period of the metrics, in seconds. @default CloudWatch's choice */
  readonly period?: number;
  /** Default statistic of the metrics. @default Average */
  readonly stat?: Statistic;
  /** Show the latest value as it arrives, possibly incomplete. @default false */
  readonly liveData?: boolean;
  /** @default 'hidden' */
  readonly legend?: LegendPosition;
}

/** Options of a time-series graph. */
export interface GraphOptions extends MetricWidgetOptions {
  /** Stack the lines as areas. @default false */
  readonly stacked?: boolean;
  /** The scales of the two vertical axes. @default both fitted to the data */
  readonly yAxis?: { readonly left?: Axis; readonly right?: Axis };
}

/** Options of a single-value widget. */
export interface SingleValueOptions extends MetricWidgetOptions {
  /** Draw a sparkline under the number. @default false */
  readonly sparkline?: boolean;
}

/** A Markdown text widget; by default a full-width, one-row heading. */
export function text(markdown: string, size: Size = { width: 24, height: 1 }): TextWidget {
  return { type: 'text', ...size, properties: { markdown } };
}

/** A time-series graph. */
export function graph(options: GraphOptions): MetricWidget {
  return metricWidget(options, 'timeSeries', {
    stacked: options.stacked ?? false,
    ...(options.yAxis === undefined ? {} : { yAxis: options.yAxis }),
  });
}

/** The latest value of each metric, as a number. */
export function singleValue(options: SingleValueOptions): MetricWidget {
  return metricWidget(options, 'singleValue', options.sparkline === undefined ? {} : { sparkline: options.sparkline });
}

function metricWidget(
  options: MetricWidgetOptions,
  view: MetricWidgetProperties['view'],
  extra: Partial<MetricWidgetProperties>,
): MetricWidget {
  const properties: MetricWidgetProperties = {
    metrics: options.metrics.map(metricEntry),
    region: options.region,
    title: options.title,
    view,
    ...(options.period === undefined ? {} : { period: options.period }),
    ...(options.stat === undefined ? {} : { stat: options.stat }),
    liveData: options.liveData ?? false,
    legend: { position: options.legend ?? 'hidden' },
    ...extra,
  };
  return { type: 'metric', width: options.width, height: options.height, properties };
}

/** The array form CloudWatch expects for one metric definition. */
export function metricEntry(definition: MetricDefinition): unknown[] {
  if ('expression' in definition) {
    const { label, id, period, visible, yAxis } = definition;
    return [compact({ expression: definition.expression, label, id, period, visible, yAxis })];
  }
  const dimensions = Object.entries(definition.dimensions ?? {}).flat();
  const options = compact({
    stat: definition.stat,
    period: definition.period,
    label: definition.label,
    id: definition.id,
    visible: definition.visible,
    yAxis: definition.yAxis,
  });
  return [
    definition.namespace,
    definition.metricName,
    ...dimensions,
    ...(Object.keys(options).length > 0 ? [options] : []),
  ];
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** A whole dashboard body. */
export interface DashboardBody {
  /** Default time range, e.g. `-PT1H` for the last hour. */
  readonly start?: string;
  /** Whether the dashboard's period overrides each widget's. */
  readonly periodOverride?: 'auto' | 'inherit';
  readonly widgets: readonly Widget[];
}

/** Marks stack values inside body strings until the body is serialized. */
const MARK = '\u0000';
const MARKED = /\\u0000([A-Za-z0-9:.]+)\\u0000/g;

/** A value from the stack (a parameter, pseudo parameter or attribute), for use inside body strings. */
export function stackValue(value: RefIntrinsic | GetAttIntrinsic): string {
  const name = value instanceof GetAttIntrinsic ? `${value.target}.${value.attribute}` : value.target;
  return `${MARK}${name}${MARK}`;
}

/**
 * Serializes a body for `DashboardBody`: JSON with one widget per line, so
 * that a change to one widget is a one-line diff, stack values as `${...}`
 * Fn::Sub variables, and any literal `${` escaped. A handle placed in the body
 * as a whole value counts as a stack value; any other intrinsic is refused,
 * since it cannot become part of a string.
 */
export function dashboardBody(body: DashboardBody): Intrinsic {
  const { widgets, ...settings } = body;
  const toJson = (value: unknown) => JSON.stringify(value, stackValues);
  const lines = [
    '{',
    ...Object.entries(settings)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `  ${JSON.stringify(key)}: ${toJson(value)},`),
    '  "widgets": [',
    widgets.map((widget) => `    ${toJson(widget)}`).join(',\n'),
    '  ]',
    '}',
  ];
  const json = lines
    .join('\n')
    .replace(/\$\{/g, '${!')
    .replace(MARKED, (_all, name: string) => '${' + name + '}');
  return subWith(json);
}

/** A JSON.stringify replacer: reads each value before its toJSON ran, to mark handles and refuse other intrinsics. */
function stackValues(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (original instanceof RefIntrinsic || original instanceof GetAttIntrinsic) return stackValue(original);
  if (original instanceof Intrinsic) {
    throw new TemplateError(`a dashboard body can refer to handles and pseudo parameters only, not to ${original.fn}`);
  }
  return value;
}

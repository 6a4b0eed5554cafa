// The real-time counts, taken where the records are captured: after each
// delivery the capture handler writes one CloudWatch Embedded Metric Format
// (EMF) line with the number of records Firehose accepted. CloudWatch Logs
// turns that line into a data point of the metric, so no PutMetricData call,
// no extra permission and nothing that runs between requests is needed.

/** The namespace the real-time dashboard reads (src/stacks/advertising/realtime/metrics.ts). */
export const ADVERTISING_NAMESPACE = 'Warehouse/Advertising';

/** The per-minute metrics the dashboard's clickthrough expression divides. */
export type CaptureMetricName = 'Impressions' | 'Clicks';

/** The environment variable that says whether the capture functions emit the counts. */
export const CAPTURE_METRICS_VARIABLE = 'CAPTURE_METRICS';

/**
 * `emf`: emit one EMF line per request. `off`: emit nothing, because another
 * engine (the legacy Kinesis Analytics applications) counts the same records.
 */
export const CAPTURE_METRICS_MODES = ['emf', 'off'] as const;
export type CaptureMetricsMode = (typeof CAPTURE_METRICS_MODES)[number];

/** One metric of an EMF directive. */
export interface EmfMetric {
  readonly Name: string;
  readonly Unit: 'Count';
}

/** What CloudWatch extracts from the line: a namespace, its dimension sets and its metrics. */
export interface EmfDirective {
  readonly Namespace: string;
  /** One empty set: the metric has no dimensions, as the dashboard and the legacy engine's metric have none. */
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly EmfMetric[];
}

/** An EMF document: the `_aws` metadata, and the metric's value under its own name. */
export interface EmfDocument {
  readonly _aws: {
    /** Milliseconds since the epoch; the data point falls in the minute that holds it. */
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly EmfDirective[];
  };
  readonly [metric: string]: unknown;
}

/** A count of captured records as an EMF document, stamped at `timestampMs`. */
export function countDocument(metric: CaptureMetricName, count: number, timestampMs: number): EmfDocument {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`a count of ${metric} must be a whole number of zero or more, got ${count}`);
  }
  if (!Number.isSafeInteger(timestampMs) || timestampMs < 0) {
    throw new RangeError(`an EMF timestamp must be whole milliseconds since the epoch, got ${timestampMs}`);
  }
  return {
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        { Namespace: ADVERTISING_NAMESPACE, Dimensions: [[]], Metrics: [{ Name: metric, Unit: 'Count' }] },
      ],
    },
    [metric]: count,
  };
}

/** What `captureMetricsMode` found: the mode, and what was wrong with the setting if anything. */
export interface CaptureMetricsSetting {
  readonly mode: CaptureMetricsMode;
  readonly problem?: string;
}

/**
 * The mode set in the environment. Unset means `off`: only a deployment that
 * asks for the counts gets them, so none is ever counted twice. A value that
 * is neither mode is reported and treated as `off`; capturing goes on.
 */
export function captureMetricsMode(env: NodeJS.ProcessEnv = process.env): CaptureMetricsSetting {
  const value = env[CAPTURE_METRICS_VARIABLE];
  if (value === undefined || value === '') return { mode: 'off' };
  if ((CAPTURE_METRICS_MODES as readonly string[]).includes(value)) return { mode: value as CaptureMetricsMode };
  return {
    mode: 'off',
    problem:
      `environment variable ${CAPTURE_METRICS_VARIABLE} is ${JSON.stringify(value)}; ` +
      `set it to ${CAPTURE_METRICS_MODES.join(' or ')}. No metrics are emitted until then`,
  };
}

/** Writes one line to standard output, where the Lambda runtime passes it to CloudWatch Logs unchanged. */
function writeStdoutLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

export interface RecordCountOptions {
  /** The metric the count is published as. */
  readonly metric: CaptureMetricName;
  /** How many records Firehose accepted. */
  readonly count: number;
  /** The environment that holds CAPTURE_METRICS. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** The clock. @default Date.now */
  readonly now?: () => number;
  /** Where the EMF line goes. @default standard output */
  readonly write?: (line: string) => void;
  /** Where a bad CAPTURE_METRICS setting is reported. @default console.warn */
  readonly warn?: (message: string) => void;
}

/**
 * Emits the count as one EMF line when CAPTURE_METRICS is `emf`; does nothing
 * when it is `off`. Returns the document written, if any.
 */
export function recordCount(options: RecordCountOptions): EmfDocument | undefined {
  const setting = captureMetricsMode(options.env);
  if (setting.problem) (options.warn ?? console.warn)(setting.problem);
  if (setting.mode !== 'emf') return undefined;
  const document = countDocument(options.metric, options.count, (options.now ?? Date.now)());
  (options.write ?? writeStdoutLine)(JSON.stringify(document));
  return document;
}

// The real-time metrics: whatever engine counts the events publishes them
// under these names, and the dashboard charts them.

/** The CloudWatch namespace of the advertising metrics. */
export const ADVERTISING_NAMESPACE = 'Warehouse/Advertising';

/** A metric in that namespace. */
export interface MetricName {
  readonly namespace: string;
  readonly name: string;
}

/** Impressions counted per minute. */
export const IMPRESSIONS_METRIC: MetricName = { namespace: ADVERTISING_NAMESPACE, name: 'Impressions' };
/** Clicks counted per minute. */
export const CLICKS_METRIC: MetricName = { namespace: ADVERTISING_NAMESPACE, name: 'Clicks' };

/** The period the counts are taken over, in seconds. */
export const COUNT_PERIOD_SECONDS = 60;

// The real-time applications' Lambda output: each record is a metric row
// {namespace, name, at, value}; they go to CloudWatch with PutMetricData.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { lazily } from '../shared/env';
import type {
  KinesisAnalyticsDeliveryResult,
  KinesisAnalyticsOutputEvent,
  KinesisAnalyticsOutputResponse,
} from '../shared/events';
import { mapConcurrently } from '../shared/batching';
import { parseMetric, planCalls, type Entry } from './metrics';

const cloudwatch = lazily(() => new CloudWatchClient({}));

/**
 * Publishes every parseable record and answers each record: `Ok` once
 * published, `DeliveryFailed` when its PutMetricData call failed (the
 * application will offer it again). A record that cannot be parsed is logged
 * and answered `Ok`: retrying it could never succeed.
 */
export async function handler(event: KinesisAnalyticsOutputEvent): Promise<KinesisAnalyticsOutputResponse> {
  const results = new Map<string, KinesisAnalyticsDeliveryResult>();
  const entries: Entry[] = [];
  const now = Date.now();
  for (const record of event.records ?? []) {
    const parsed = parseMetric(record.data ?? '', now);
    if (parsed.ok) {
      entries.push({ recordId: record.recordId, metric: parsed.metric });
    } else {
      console.warn(`dropped record ${record.recordId}: ${parsed.reason}`);
      results.set(record.recordId, 'Ok');
    }
  }
  await mapConcurrently(planCalls(entries), 4, async (call) => {
    let result: KinesisAnalyticsDeliveryResult = 'Ok';
    try {
      await cloudwatch().send(
        new PutMetricDataCommand({
          Namespace: call.namespace,
          MetricData: call.entries.map(({ metric }) => ({
            MetricName: metric.name,
            Timestamp: metric.at,
            Value: metric.value,
          })),
        }),
      );
    } catch (error) {
      console.error(`PutMetricData of ${call.entries.length} metrics to ${call.namespace} failed:`, error);
      result = 'DeliveryFailed';
    }
    for (const entry of call.entries) results.set(entry.recordId, result);
  });
  return {
    records: (event.records ?? []).map((record) => ({
      recordId: record.recordId,
      result: results.get(record.recordId) ?? 'DeliveryFailed',
    })),
  };
}

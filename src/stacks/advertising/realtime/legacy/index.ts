// The legacy real-time engine, RealTimeEngine kinesis-analytics-sql: the
// original's Kinesis Analytics SQL applications (kinesis-analytics.ts) and
// the function that publishes their counts (publisher.ts). The real-time
// stack reaches this engine through declareLegacyRealTime alone.
import type { Value } from '../../../../cfn/intrinsics';
import type { Template } from '../../../../cfn/template';
import { declareKinesisAnalytics, type KinesisAnalyticsWiring } from './kinesis-analytics';
import { declarePublisher } from './publisher';

/** What the legacy engine is wired to in the real-time stack: the applications' wiring, and where the publisher's errors alarm notifies. */
export type LegacyRealTimeWiring = Omit<KinesisAnalyticsWiring, 'publisher'> & { readonly alarmTopic: Value<string> };

/** Declares the publisher and the applications that feed it, all under `wiring.condition`. */
export function declareLegacyRealTime(t: Template, wiring: LegacyRealTimeWiring): void {
  const { impressionsStreamArn, clicksStreamArn, alarmTopic, condition } = wiring;
  const publisher = declarePublisher(t, condition, alarmTopic);
  declareKinesisAnalytics(t, { impressionsStreamArn, clicksStreamArn, publisher, condition });
}

// The real-time view of the advertising events
// (templates-out/advertising/realtime.yaml): per-minute counts of the
// impressions and clicks flowing through the delivery streams, as CloudWatch
// metrics charted, with the clickthrough rate, on a dashboard.
// RealTimeEngine picks what counts them. By default the capture functions do,
// with Embedded Metric Format log lines (src/lambdas/shared/metrics.ts), and
// this stack holds only the dashboard. The legacy value adds the original's
// Kinesis Analytics applications (realtime/kinesis-analytics.ts) and their
// publisher. Both engines write the same metrics, so the dashboard serves both.
import { Template } from '../../cfn/template';
import { declareShared } from '../shared/parameters';
import { REAL_TIME_ENGINE } from '../shared/realtime-engine';
import { dashboardBody } from '../shared/dashboard';
import { advertisingDashboard } from './realtime/dashboard';
import { declareKinesisAnalytics } from './realtime/kinesis-analytics';
import { declarePublisher } from './realtime/publisher';

/** The service's parameters that the real-time stack declares too; the service passes each on unchanged. */
export const REAL_TIME_PARAMETERS = ['RealTimeEngine', 'AlarmTopicArn'] as const;

/** A Firehose delivery stream ARN. */
const DELIVERY_STREAM_ARN = '^arn:aws[a-z-]*:firehose:[a-z0-9-]+:[0-9]{12}:deliverystream/[A-Za-z0-9_.-]{1,64}$';

export function realtimeTemplate(): Template {
  const t = new Template({
    description:
      'Dataless real-time advertising metrics: the clickthrough dashboard of the per-minute impression and click counts, ' +
      'and, under the legacy engine, the Kinesis Analytics applications and the publisher that count them',
    source: 'src/stacks/advertising/realtime.ts',
    sam: true,
  });

  const streamParameter = (id: string, events: string) =>
    t.parameter(id, {
      type: 'String',
      description: `The ARN of the Firehose delivery stream the ${events} arrive on; read only by the legacy Kinesis Analytics engine`,
      allowedPattern: DELIVERY_STREAM_ARN,
      constraintDescription: 'must be the ARN of a Firehose delivery stream',
    });
  const impressionsStreamArn = streamParameter('ImpressionsDeliveryStreamArn', 'impressions');
  const clicksStreamArn = streamParameter('ClicksDeliveryStreamArn', 'clicks');

  const { RealTimeEngine, AlarmTopicArn } = declareShared(t, REAL_TIME_PARAMETERS);
  const legacy = REAL_TIME_ENGINE.declareLegacy(t, RealTimeEngine);

  const publisher = declarePublisher(t, legacy, AlarmTopicArn);
  declareKinesisAnalytics(t, { impressionsStreamArn, clicksStreamArn, publisher, condition: legacy });

  const dashboard = t.resource('RealTimeAdvertisingDashboard', 'AWS::CloudWatch::Dashboard', {
    DashboardBody: dashboardBody(advertisingDashboard()),
  });

  t.output('Dashboard', { value: dashboard, description: 'The name of the real-time advertising dashboard' });
  return t;
}

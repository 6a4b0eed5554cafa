// The real-time view of the advertising events
// (templates-out/advertising/realtime.yaml): per-minute counts of the
// impressions and clicks flowing through the delivery streams, published as
// CloudWatch metrics and charted, with the clickthrough rate, on a dashboard.
// The counting engine is a module of its own (realtime/kinesis-analytics.ts);
// the publisher and the dashboard do not depend on which engine feeds them.
import { Template } from '../../cfn/template';
import { advertisingDashboard, dashboardBody } from './realtime/dashboard';
import { declareKinesisAnalytics } from './realtime/kinesis-analytics';
import { declarePublisher } from './realtime/publisher';

/** A Firehose delivery stream ARN. */
const DELIVERY_STREAM_ARN = '^arn:aws[a-z-]*:firehose:[a-z0-9-]+:[0-9]{12}:deliverystream/[A-Za-z0-9_.-]{1,64}$';

export function realtimeTemplate(): Template {
  const t = new Template({
    description: 'Dataless real-time advertising metrics: per-minute impression and click counts, their publisher and the clickthrough dashboard',
    source: 'src/stacks/advertising/realtime.ts',
    sam: true,
  });

  const streamParameter = (id: string, events: string) =>
    t.parameter(id, {
      type: 'String',
      description: `The ARN of the Firehose delivery stream the ${events} arrive on`,
      allowedPattern: DELIVERY_STREAM_ARN,
      constraintDescription: 'must be the ARN of a Firehose delivery stream',
      group: 'Delivery Streams',
      label: `${events[0]!.toUpperCase()}${events.slice(1)} delivery stream ARN`,
    });
  const impressionsStreamArn = streamParameter('ImpressionsDeliveryStreamArn', 'impressions');
  const clicksStreamArn = streamParameter('ClicksDeliveryStreamArn', 'clicks');

  const publisher = declarePublisher(t);
  declareKinesisAnalytics(t, { impressionsStreamArn, clicksStreamArn, publisher });

  const dashboard = t.resource('RealTimeAdvertisingDashboard', 'AWS::CloudWatch::Dashboard', {
    DashboardBody: dashboardBody(advertisingDashboard()),
  });

  t.output('Dashboard', { value: dashboard, description: 'The name of the real-time advertising dashboard' });
  return t;
}

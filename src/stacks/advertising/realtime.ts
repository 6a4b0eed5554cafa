// The real-time view of the advertising events
// (templates-out/advertising/realtime.yaml): per-minute counts of the
// impressions and clicks flowing through the delivery streams, as CloudWatch
// metrics charted, with the clickthrough rate, on a dashboard.
// RealTimeEngine picks what counts them. By default the capture functions do,
// with Embedded Metric Format log lines (src/lambdas/shared/metrics.ts), and
// this stack holds only the dashboard. The legacy value adds the original's
// Kinesis Analytics applications and their publisher, built apart in
// realtime/legacy/ and reached through declareLegacyRealTime alone. Both
// engines write the same metrics, so the dashboard serves both.
import type { Template } from '../../cfn/template';
import { REAL_TIME_STACK } from '..';
import { declareShared } from '../shared/parameters';
import { applyPermissionsBoundary } from '../shared/permissions-boundary';
import { REAL_TIME_ENGINE } from '../shared/realtime-engine';
import { dashboardBody } from '../shared/dashboard';
import { advertisingDashboard } from './realtime/dashboard';
import { declareLegacyRealTime } from './realtime/legacy';

/** The service's parameters that the real-time stack declares too; the service passes each on unchanged. */
export const REAL_TIME_PARAMETERS = ['RealTimeEngine', 'AlarmTopicArn', 'PermissionsBoundaryArn'] as const;
/** The delivery streams the legacy engine reads, by the parameter that names each, with the events it carries. */
const STREAM_PARAMETERS = { ImpressionsDeliveryStreamArn: 'impressions', ClicksDeliveryStreamArn: 'clicks' } as const;
export type RealTimeParameter = (typeof REAL_TIME_PARAMETERS)[number] | keyof typeof STREAM_PARAMETERS;
export type RealTimeOutput = 'Dashboard';

/** A Firehose delivery stream ARN. */
const DELIVERY_STREAM_ARN = '^arn:aws[a-z-]*:firehose:[a-z0-9-]+:[0-9]{12}:deliverystream/[A-Za-z0-9_.-]{1,64}$';

export function realtimeTemplate(): Template {
  const t = REAL_TIME_STACK.template({
    description:
      'Dataless real-time advertising metrics: the clickthrough dashboard of the per-minute impression and click counts, ' +
      'and, under the legacy engine, the Kinesis Analytics applications and the publisher that count them',
    sam: true,
  });

  const streamParameter = (id: keyof typeof STREAM_PARAMETERS) =>
    t.parameter(id, {
      type: 'String',
      description: `The ARN of the Firehose delivery stream the ${STREAM_PARAMETERS[id]} arrive on; read only by the legacy Kinesis Analytics engine`,
      allowedPattern: DELIVERY_STREAM_ARN,
      constraintDescription: 'must be the ARN of a Firehose delivery stream',
    });
  const impressionsStreamArn = streamParameter('ImpressionsDeliveryStreamArn');
  const clicksStreamArn = streamParameter('ClicksDeliveryStreamArn');

  const { RealTimeEngine, AlarmTopicArn, PermissionsBoundaryArn } = declareShared(t, REAL_TIME_PARAMETERS);
  applyPermissionsBoundary(t, PermissionsBoundaryArn);
  const legacy = REAL_TIME_ENGINE.declareLegacy(t, RealTimeEngine);

  declareLegacyRealTime(t, { impressionsStreamArn, clicksStreamArn, alarmTopic: AlarmTopicArn, condition: legacy });

  const dashboard = t.resource('RealTimeAdvertisingDashboard', 'AWS::CloudWatch::Dashboard', {
    DashboardBody: dashboardBody(advertisingDashboard()),
  });

  REAL_TIME_STACK.declareOutputs(t, {
    Dashboard: { value: dashboard, description: 'The name of the real-time advertising dashboard' },
  });
  return t;
}

// The real-time dashboard: the clickthrough rate over the per-minute counts
// that either engine publishes, in the stack's own region.
import { AWS } from '../../../cfn/intrinsics';
import {
  expression,
  graph,
  metric,
  stackValue,
  type DashboardBody,
  type MetricStat,
  type MetricWidget,
} from '../../shared/dashboard';
import { CLICKS_METRIC, COUNT_PERIOD_SECONDS, IMPRESSIONS_METRIC, type MetricName } from './metrics';

/** The id the clickthrough expression uses for each metric. */
const IDS = { clicks: 'clicks', impressions: 'impressions' } as const;

const count = (name: MetricName, id: string): MetricStat =>
  metric({ namespace: name.namespace, metricName: name.name, id });

/** The clickthrough rate (clicks per impression) on the right axis over the two counts on the left. */
export function clickthroughWidget(): MetricWidget {
  return graph({
    width: 24,
    height: 12,
    title: 'Clickthrough Rate',
    region: stackValue(AWS.Region),
    stat: 'Sum',
    period: COUNT_PERIOD_SECONDS,
    // The three lines need their names: CloudWatch's own place for the legend.
    legend: 'bottom',
    metrics: [
      expression(`${IDS.clicks}/${IDS.impressions}`, { label: 'Clickthrough Rate', yAxis: 'right' }),
      count(CLICKS_METRIC, IDS.clicks),
      count(IMPRESSIONS_METRIC, IDS.impressions),
    ],
    yAxis: {
      left: { min: 0, showUnits: false },
      right: { min: 0, max: 1, showUnits: false },
    },
  });
}

/** The whole real-time advertising dashboard: the last hour, minute by minute. */
export function advertisingDashboard(): DashboardBody {
  return { start: '-PT1H', periodOverride: 'inherit', widgets: [clickthroughWidget()] };
}

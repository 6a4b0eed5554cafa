// The operations dashboard (OpsDashboard): API, Firehose, real-time, Lambda
// and data lake health on one page.
import { AWS, fnIf } from '../../../cfn/intrinsics';
import type { Condition, Parameter, Resource, Template } from '../../../cfn/template';
import type { RealTimeEngine } from '../../shared/realtime-engine';
import { sections, type DashboardContext } from './sections';
import { dashboardBody, stackValue, text, type DashboardBody } from '../../shared/dashboard';

/** The body: each section's heading followed by its widgets, over the last hour. */
export function opsDashboardBody(
  ctx: DashboardContext,
  engine: RealTimeEngine = 'kinesis-analytics-sql',
): DashboardBody {
  return {
    start: '-PT1H',
    periodOverride: 'inherit',
    widgets: sections(ctx, engine).flatMap((section) => [text(`# ${section.heading}`), ...section.widgets]),
  };
}

/** The dashboard; its real-time section follows the engine that `legacyRealTime` selects. */
export function declareOpsDashboard(
  t: Template,
  stage: Parameter,
  bucket: Resource<'AWS::S3::Bucket'>,
  legacyRealTime: Condition,
): Resource<'AWS::CloudWatch::Dashboard'> {
  const ctx = { region: stackValue(AWS.Region), stage: stackValue(stage), bucket: stackValue(bucket) };
  const body = (engine: RealTimeEngine) => dashboardBody(opsDashboardBody(ctx, engine));
  return t.resource('OpsDashboard', 'AWS::CloudWatch::Dashboard', {
    DashboardBody: fnIf(legacyRealTime, body('kinesis-analytics-sql'), body('capture-metrics')),
  });
}

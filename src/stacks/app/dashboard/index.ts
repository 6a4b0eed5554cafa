// The operations dashboard (OpsDashboard): API, Firehose, real-time, Lambda
// and data lake health on one page.
import { AWS } from '../../../cfn/intrinsics';
import type { Parameter, Resource, Template } from '../../../cfn/template';
import { sections, type DashboardContext } from './sections';
import { dashboardBody, stackValue, text, type DashboardBody } from './widgets';

/** The body: each section's heading followed by its widgets, over the last hour. */
export function opsDashboardBody(ctx: DashboardContext): DashboardBody {
  return {
    start: '-PT1H',
    periodOverride: 'inherit',
    widgets: sections(ctx).flatMap((section) => [text(`# ${section.heading}`), ...section.widgets]),
  };
}

export function declareOpsDashboard(t: Template, stage: Parameter, bucket: Resource<'AWS::S3::Bucket'>): Resource<'AWS::CloudWatch::Dashboard'> {
  const body = opsDashboardBody({ region: stackValue(AWS.Region), stage: stackValue(stage), bucket: stackValue(bucket) });
  return t.resource('OpsDashboard', 'AWS::CloudWatch::Dashboard', { DashboardBody: dashboardBody(body) });
}

// The three nested stacks the service is split into. Each is given only the
// parameters it declares; the lake's catalog, crawler and job names flow into the batch
// pipeline, and the delivery streams into the real-time stack.
import type { Resource, Template } from '../../../cfn/template';
import { passOn } from '../../shared/parameters';
import { LAKE_OUTPUTS, LAKE_PARAMETERS } from '../lake';
import { PIPELINE_PARAMETERS } from '../pipeline/parameters';
import { REAL_TIME_PARAMETERS } from '../realtime';
import type { Capture } from './capture';
import type { ServiceParameters } from './parameters';

/** Each nested template, relative to this one (templates-out/advertising/). */
export const NESTED_LOCATIONS = {
  Lake: './lake.yaml',
  BatchPipeline: './pipeline.yaml',
  RealTime: './realtime.yaml',
} as const;

export interface NestedStacks {
  readonly lake: Resource<'AWS::Serverless::Application'>;
  readonly batchPipeline: Resource<'AWS::Serverless::Application'>;
  readonly realTime: Resource<'AWS::Serverless::Application'>;
}

export function declareNestedStacks(t: Template, p: ServiceParameters, capture: Capture): NestedStacks {
  const lake = t.resource('Lake', 'AWS::Serverless::Application', {
    Location: NESTED_LOCATIONS.Lake,
    Parameters: passOn(p, LAKE_PARAMETERS),
  });

  const batchPipeline = t.resource('BatchPipeline', 'AWS::Serverless::Application', {
    Location: NESTED_LOCATIONS.BatchPipeline,
    // The lake's names (database, crawler, ETL jobs) arrive as the parameters of the same names.
    Parameters: { ...passOn(p, PIPELINE_PARAMETERS), ...Object.fromEntries(LAKE_OUTPUTS.map((name) => [name, lake.output(name)])) },
  });

  const realTime = t.resource('RealTime', 'AWS::Serverless::Application', {
    Location: NESTED_LOCATIONS.RealTime,
    Parameters: {
      ImpressionsDeliveryStreamArn: capture.impressions.getAtt('Arn'),
      ClicksDeliveryStreamArn: capture.clicks.getAtt('Arn'),
      ...passOn(p, REAL_TIME_PARAMETERS),
    },
  });

  return { lake, batchPipeline, realTime };
}

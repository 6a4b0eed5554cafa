// The three nested stacks the service is split into. Each is given only the
// parameters it declares; the lake's catalog, crawler and job names flow into the batch
// pipeline, and the delivery streams into the real-time stack.
import type { NestedStack } from '../../../cfn/stack';
import type { Template } from '../../../cfn/template';
import { LAKE_STACK, PIPELINE_STACK, REAL_TIME_STACK } from '../..';
import { passOn } from '../../shared/parameters';
import { LAKE_OUTPUTS, LAKE_PARAMETERS, type LakeOutput, type LakeTableOutput } from '../lake';
import type { PipelineOutput } from '../pipeline';
import { PIPELINE_PARAMETERS } from '../pipeline/parameters';
import { REAL_TIME_PARAMETERS, type RealTimeOutput } from '../realtime';
import type { Capture } from './capture';
import type { ServiceParameters } from './parameters';

export interface NestedStacks {
  readonly lake: NestedStack<LakeOutput | LakeTableOutput>;
  readonly batchPipeline: NestedStack<PipelineOutput>;
  readonly realTime: NestedStack<RealTimeOutput>;
}

export function declareNestedStacks(t: Template, p: ServiceParameters, capture: Capture): NestedStacks {
  const lake = LAKE_STACK.nest(t, 'Lake', passOn(p, LAKE_PARAMETERS));

  // The lake's names (database, crawler, ETL jobs) arrive as the parameters of the same names.
  const batchPipeline = PIPELINE_STACK.nest(t, 'BatchPipeline', {
    ...passOn(p, PIPELINE_PARAMETERS),
    ...lake.outputs(LAKE_OUTPUTS),
  });

  const realTime = REAL_TIME_STACK.nest(t, 'RealTime', {
    ImpressionsDeliveryStreamArn: capture.impressions.getAtt('Arn'),
    ClicksDeliveryStreamArn: capture.clicks.getAtt('Arn'),
    ...passOn(p, REAL_TIME_PARAMETERS),
  });

  return { lake, batchPipeline, realTime };
}

// The three nested stacks the service is split into. Each is given only the
// parameters it declares; the lake's catalog names flow into the batch
// pipeline, and the delivery streams into the real-time stack.
import type { Resource, Template } from '../../../cfn/template';
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
    Parameters: {
      CodeBucket: p.CodeBucket,
      CodePrefix: p.CodePrefix,
      BucketName: p.BucketName,
      BucketARN: p.BucketARN,
    },
  });

  const batchPipeline = t.resource('BatchPipeline', 'AWS::Serverless::Application', {
    Location: NESTED_LOCATIONS.BatchPipeline,
    Parameters: {
      CodeBucket: p.CodeBucket,
      CodePrefix: p.CodePrefix,
      BucketName: p.BucketName,
      Database: lake.output('Database'),
      KeyPair: p.KeyPair,
      Subnet: p.Subnet,
      SecurityGroup: p.SecurityGroup,
      AccessKeyID: p.AccessKeyID,
      SecretAccessKey: p.SecretAccessKey,
      EnableEC2Instance: p.EnableEC2Instance,
      EnableEMRCluster: p.EnableEMRCluster,
      RedshiftClusterId: p.RedshiftClusterId,
      RedshiftDatabase: p.RedshiftDatabase,
      RedshiftUsername: p.RedshiftUsername,
      RedshiftPassword: p.RedshiftPassword,
      EnablePipeline: p.EnablePipeline,
      PipelineRole: p.PipelineRole,
      PipelineRoleARN: p.PipelineRoleARN,
      PipelineResourceRole: p.PipelineResourceRole,
      BatchEngine: p.BatchEngine,
      EnableBatchSchedule: p.EnableBatchSchedule,
    },
  });

  const realTime = t.resource('RealTime', 'AWS::Serverless::Application', {
    Location: NESTED_LOCATIONS.RealTime,
    Parameters: {
      ImpressionsDeliveryStreamArn: capture.impressions.getAtt('Arn'),
      ClicksDeliveryStreamArn: capture.clicks.getAtt('Arn'),
      RealTimeEngine: p.RealTimeEngine,
    },
  });

  return { lake, batchPipeline, realTime };
}

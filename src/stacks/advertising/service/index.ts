// templates-out/advertising/service.yaml: the advertising service. It holds
// the capture path (delivery streams into the lake's raw area) and the API,
// and nests the lake, batch pipeline and real-time stacks.
import { AWS, equals, sub } from '../../../cfn/intrinsics';
import type { Template } from '../../../cfn/template';
import { SERVICE_STACK } from '../..';
import { samRef } from '../../../cfn/sam';
import { REAL_TIME_ENGINE, captureMetricsSetting } from '../../shared/realtime-engine';
import { LIVE_ALIAS, declareApi } from './api';
import { declareServiceAlarms } from './alarms';
import { declareCapture } from './capture';
import { declareNestedStacks } from './nested';
import { applyPermissionsBoundary } from '../../shared/permissions-boundary';
import { declareCodeDeployRole } from './deployment';
import { declareParameters, type ServiceParameters } from './parameters';

/** Per-function defaults: 10 s leaves room for Firehose retries and stays well inside API Gateway's 29 s. */
const TIMEOUT_SECONDS = 10;
const MEMORY_MB = 256;

export type ServiceParameter = keyof ServiceParameters;
export type ServiceOutput = 'API' | 'Stage' | 'BaseURL';

export function serviceTemplate(): Template {
  const t = SERVICE_STACK.template({
    description:
      'Dataless advertising service: impression and click capture, the advertising API, and the nested lake, batch pipeline and real-time stacks',
    sam: true,
  });

  const p = declareParameters(t);
  applyPermissionsBoundary(t, p.PermissionsBoundaryArn);
  const legacyRealTime = REAL_TIME_ENGINE.declareLegacy(t, p.RealTimeEngine);
  const capture = declareCapture(t, p.BucketARN, p.AlarmTopicArn);
  const nested = declareNestedStacks(t, p, capture);

  // Tags say which build deployed a function, for tracing a change back to its source.
  const buildTags = {
    'dataless:pipeline': p.CodePipeline,
    'dataless:build-region': p.BuildRegion,
    'dataless:source-version': p.SourceVersion,
    'dataless:build': p.Build,
  };

  const codeDeployRole = declareCodeDeployRole(t);
  t.setGlobals({
    Function: {
      Tracing: 'Active',
      AutoPublishAlias: LIVE_ALIAS,
      DeploymentPreference: { Enabled: true, Type: p.DeploymentPreference, Role: codeDeployRole.getAtt('Arn') },
      Timeout: TIMEOUT_SECONDS,
      MemorySize: MEMORY_MB,
      Environment: {
        Variables: {
          IMPRESSIONS_DELIVERY_STREAM_NAME: capture.impressions,
          CLICKS_DELIVERY_STREAM_NAME: capture.clicks,
          AD_TRAFFIC_TABLE_NAME: nested.batchPipeline.output('AdTrafficTable'),
        },
      },
      Tags: buildTags,
    },
    Api: {
      TracingEnabled: true,
      EndpointConfiguration: 'EDGE',
    },
  });

  const service = declareApi(t, {
    impressionsStream: capture.impressions,
    clicksStream: capture.clicks,
    adTrafficTableArn: nested.batchPipeline.output('AdTrafficTableArn'),
    stage: p.Stage,
    captureMetrics: captureMetricsSetting(legacyRealTime),
    tags: buildTags,
    trafficNeedsIam: t.condition('TrafficNeedsIam', equals(p.TrafficAuthorization, 'iam')),
  });
  const { api } = service;
  declareServiceAlarms(t, { api: service, stage: p.Stage, topic: p.AlarmTopicArn });

  SERVICE_STACK.declareOutputs(t, {
    API: { description: 'The id of the advertising REST API', value: api },
    Stage: { description: 'The deployed stage of the API', value: samRef(api, 'Stage') },
    BaseURL: {
      description: 'The base URL of the API stage',
      value: sub`https://${api}.execute-api.${AWS.Region}.${AWS.URLSuffix}/${p.Stage}`,
    },
  });
  return t;
}

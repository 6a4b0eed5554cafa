// The batch stack (templates-out/advertising/pipeline.yaml): once a day, the
// batch joins impressions with clicks into the lake's advertising table, rolls
// them up per ad and day into the DynamoDB table the API reads, and optionally
// loads everything into Redshift. BatchEngine picks what runs it: a Step
// Functions state machine over EMR Serverless and the Redshift Data API (the
// default), or the original's Data Pipeline, built apart in pipeline/legacy/
// and reached through declareDataPipeline alone.
import type { Template } from '../../../cfn/template';
import { PIPELINE_STACK } from '../..';
import { declareBatchAlarms } from './alarms';
import { declareHiveRuntime } from './hive';
import { declareDataPipeline } from './legacy';
import { declareOrchestration } from './orchestration';
import { applyPermissionsBoundary } from '../../shared/permissions-boundary';
import { declareParameters, type PipelineParameters } from './parameters';
import { declareTables } from './tables';

export type PipelineParameter = keyof PipelineParameters;
export type PipelineOutput = 'AdTrafficTable' | 'AdTrafficTableArn' | 'BatchStateMachine';

export function pipelineTemplate(): Template {
  const t = PIPELINE_STACK.template({
    description:
      'Dataless advertising batch: the daily batch (Step Functions over EMR Serverless, or the original Data Pipeline), ' +
      'the advertising lake table and the ad traffic table',
  });
  const { params, conditions } = declareParameters(t);
  applyPermissionsBoundary(t, params.PermissionsBoundaryArn);
  const tables = declareTables(t, params, conditions);
  const code = t.assets.codeAt({ bucket: params.CodeBucket, prefix: params.CodePrefix });

  declareDataPipeline(t, { params, conditions, tables, code });

  const hive = declareHiveRuntime(t, params, conditions, tables);
  const { stateMachine } = declareOrchestration(t, params, conditions, tables, hive, code);
  declareBatchAlarms(t, params, conditions, stateMachine);

  PIPELINE_STACK.declareOutputs(t, {
    AdTrafficTable: {
      value: tables.adTraffic,
      description: 'Name of the DynamoDB table of daily impressions and clicks per ad',
    },
    AdTrafficTableArn: { value: tables.adTraffic.getAtt('Arn'), description: 'ARN of the ad traffic table' },
    BatchStateMachine: {
      value: stateMachine,
      description:
        'ARN of the state machine that runs the daily batch; start it with {"date": "yyyy-MM-dd"} to (re)process a day',
      condition: conditions.stepFunctionsBatch,
    },
  });
  return t;
}

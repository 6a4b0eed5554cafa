// The batch stack (templates-out/advertising/pipeline.yaml): once a day, a
// Data Pipeline joins impressions with clicks into the lake's advertising
// table, rolls them up per ad and day into the DynamoDB table the API reads,
// and optionally loads everything into Redshift.
import { AWS } from '../../../cfn/intrinsics';
import { Template } from '../../../cfn/template';
import { pipelineObjects } from './builder';
import { pipelineDefinition } from './objects';
import { declareParameters } from './parameters';
import { declareTables } from './tables';

export function pipelineTemplate(): Template {
  const t = new Template({
    description: 'Dataless advertising batch: the daily Data Pipeline, the advertising lake table and the ad traffic table',
    source: 'src/stacks/advertising/pipeline/index.ts',
  });
  const { params, conditions } = declareParameters(t);
  const tables = declareTables(t, params);

  // Data Pipeline hands its EC2 resources and EMR clusters an instance profile
  // of the same name as the role it is given, so one must exist per role.
  const pipelineProfile = t.resource('PipelineProfile', 'AWS::IAM::InstanceProfile', {
    InstanceProfileName: params.pipelineRole,
    Roles: [params.pipelineRole],
  });
  const resourceProfile = t.resource('PipelineResourceProfile', 'AWS::IAM::InstanceProfile', {
    InstanceProfileName: params.pipelineResourceRole,
    Roles: [params.pipelineResourceRole],
  });

  t.resource(
    'EMRPipeline',
    'AWS::DataPipeline::Pipeline',
    {
      Name: 'Daily Pipeline',
      // Created but not activated, as in the original: a run is started by hand.
      Activate: false,
      ParameterObjects: [
        {
          Id: 'myRegion',
          Attributes: [
            { Key: 'type', StringValue: 'String' },
            { Key: 'default', StringValue: AWS.Region },
          ],
        },
      ],
      ParameterValues: [{ Id: 'myRegion', StringValue: AWS.Region }],
      PipelineObjects: pipelineObjects(pipelineDefinition({ params, conditions, tables })),
    },
    { condition: conditions.pipelineEnabled, dependsOn: [pipelineProfile, resourceProfile] },
  );

  t.output('AdTrafficTable', { value: tables.adTraffic, description: 'Name of the DynamoDB table of daily impressions and clicks per ad' });
  t.output('AdTrafficTableArn', { value: tables.adTraffic.getAtt('Arn'), description: 'ARN of the ad traffic table' });
  return t;
}

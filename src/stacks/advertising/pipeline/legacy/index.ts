// The legacy batch engine, BatchEngine data-pipeline: the original's Data
// Pipeline, its objects (objects.ts, redshift.ts, built with builder.ts over
// context.ts, spelling datasets with formats.ts) and the instance profiles it
// needs. The batch stack reaches this engine through declareDataPipeline
// alone.
import { AWS } from '../../../../cfn/intrinsics';
import type { Template } from '../../../../cfn/template';
import { pipelineObjects } from './builder';
import type { ObjectContext } from './context';
import { pipelineDefinition } from './objects';

/** Declares the pipeline and its two instance profiles, each under the conditions of the legacy engine. */
export function declareDataPipeline(t: Template, ctx: ObjectContext): void {
  const { params, conditions } = ctx;
  // Data Pipeline hands its EC2 resources and EMR clusters an instance profile
  // of the same name as the role it is given, so one must exist per role.
  const legacy = { condition: conditions.legacyBatch };
  const pipelineProfile = t.resource(
    'PipelineProfile',
    'AWS::IAM::InstanceProfile',
    { InstanceProfileName: params.PipelineRole, Roles: [params.PipelineRole] },
    legacy,
  );
  const resourceProfile = t.resource(
    'PipelineResourceProfile',
    'AWS::IAM::InstanceProfile',
    { InstanceProfileName: params.PipelineResourceRole, Roles: [params.PipelineResourceRole] },
    legacy,
  );

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
      PipelineObjects: pipelineObjects(pipelineDefinition(ctx)),
    },
    { condition: conditions.pipelineEnabled, dependsOn: [pipelineProfile, resourceProfile] },
  );
}

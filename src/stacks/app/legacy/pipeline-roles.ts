// The two roles of the daily Data Pipeline, which exist only under that
// engine: the role the service itself acts as, and the role of the EC2/EMR
// resources it launches. Both are attached to the Redshift cluster too, so
// that the legacy engine's Spectrum SQL can read the lake through the Glue
// Data Catalog.
import type { Condition, Resource, Template } from '../../../cfn/template';
import { inlinePolicy, managedPolicy, serviceTrust, type Statement } from '../../shared/iam';
import type { AlarmTopic } from '../notifications';
import { spectrumAccess } from '../spectrum';

export interface PipelineRoles {
  readonly PipelineRole: Resource<'AWS::IAM::Role'>;
  readonly PipelineResourceRole: Resource<'AWS::IAM::Role'>;
}

/**
 * What the pipeline's failure alarm (an SnsAlarm object, which Data Pipeline
 * publishes as this role) needs: to publish to the alarm topic and to use its
 * key for that. The key's policy leaves its use to the account's IAM policies.
 */
function notifyAlarmTopic(alarms: AlarmTopic): Statement[] {
  return [
    { Sid: 'PublishAlarms', Action: 'sns:Publish', Resource: alarms.topic },
    { Sid: 'EncryptAlarms', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: alarms.key.getAtt('Arn') },
  ];
}

export function declarePipelineRoles(
  t: Template,
  bucket: Resource<'AWS::S3::Bucket'>,
  alarms: AlarmTopic,
  legacyBatch: Condition,
): PipelineRoles {
  // Only under Data Pipeline: its service, its EMR clusters and its EC2 resources act as these roles, and Redshift
  // assumes them for the legacy engine's Spectrum SQL. The default engine's cluster has RedshiftSpectrumRole.
  const legacy = { condition: legacyBatch };
  const PipelineRole = t.resource(
    'PipelineRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['datapipeline', 'elasticmapreduce', 'redshift']),
      ManagedPolicyArns: [managedPolicy('service-role/AWSDataPipelineRole')],
      Policies: [inlinePolicy('SpectrumAccess', spectrumAccess(bucket))],
    },
    legacy,
  );
  // Data Pipeline publishes the failure alarm as this role.
  const notify = inlinePolicy('NotifyAlarmTopic', notifyAlarmTopic(alarms));
  t.resource('PipelineAlarmPolicy', 'AWS::IAM::Policy', { ...notify, Roles: [PipelineRole] }, legacy);
  const PipelineResourceRole = t.resource(
    'PipelineResourceRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['ec2', 'redshift']),
      ManagedPolicyArns: [managedPolicy('service-role/AmazonEC2RoleforDataPipelineRole')],
      Policies: [inlinePolicy('SpectrumAccess', spectrumAccess(bucket))],
    },
    legacy,
  );
  return { PipelineRole, PipelineResourceRole };
}

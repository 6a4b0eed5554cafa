// The two roles of the daily Data Pipeline: the role the service itself acts
// as, and the role of the EC2/EMR resources it launches. Both are attached to
// the Redshift cluster too, so that Redshift Spectrum can read the lake
// through the Glue Data Catalog.
import { AWS, fnIf } from '../../../cfn/intrinsics';
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
  // Under either engine Redshift assumes both roles for Spectrum (the default engine's loads name PipelineRole);
  // only under Data Pipeline do its service, its EMR clusters and its EC2 resources act as them too, with the
  // broad Data Pipeline managed policies. The ids stay, so that stacks of the original update in place.
  const legacyOnly = <T>(value: T) => fnIf(legacyBatch, value, AWS.NoValue);
  const PipelineRole = t.resource('PipelineRole', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: fnIf(
      legacyBatch,
      serviceTrust(['datapipeline', 'elasticmapreduce', 'redshift']),
      serviceTrust(['redshift']),
    ),
    ManagedPolicyArns: legacyOnly([managedPolicy('service-role/AWSDataPipelineRole')]),
    Policies: [inlinePolicy('SpectrumAccess', spectrumAccess(bucket))],
  });
  // Only Data Pipeline publishes as this role, so only the legacy engine has the grant.
  const notify = inlinePolicy('NotifyAlarmTopic', notifyAlarmTopic(alarms));
  t.resource(
    'PipelineAlarmPolicy',
    'AWS::IAM::Policy',
    { ...notify, Roles: [PipelineRole] },
    { condition: legacyBatch },
  );
  const PipelineResourceRole = t.resource('PipelineResourceRole', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: fnIf(legacyBatch, serviceTrust(['ec2', 'redshift']), serviceTrust(['redshift'])),
    ManagedPolicyArns: legacyOnly([managedPolicy('service-role/AmazonEC2RoleforDataPipelineRole')]),
    Policies: [inlinePolicy('SpectrumAccess', spectrumAccess(bucket))],
  });
  return { PipelineRole, PipelineResourceRole };
}

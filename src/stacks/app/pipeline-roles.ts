// The two roles of the daily Data Pipeline: the role the service itself acts
// as, and the role of the EC2/EMR resources it launches. Both are attached to
// the Redshift cluster too, so that Redshift Spectrum can read the lake
// through the Glue Data Catalog.
import { sub } from '../../cfn/intrinsics';
import type { Resource, Template } from '../../cfn/template';
import { glueDatabaseArns, inlinePolicy, managedPolicy, serviceTrust, type Statement } from '../shared/iam';
import { DATA_AREAS } from './bucket';

export interface PipelineRoles {
  readonly PipelineRole: Resource<'AWS::IAM::Role'>;
  readonly PipelineResourceRole: Resource<'AWS::IAM::Role'>;
}

/** What Spectrum does in the Glue Data Catalog: create the external schema's database, read tables and partitions. */
const SPECTRUM_CATALOG_ACTIONS = [
  'glue:CreateDatabase',
  'glue:GetDatabase',
  'glue:GetDatabases',
  'glue:GetTable',
  'glue:GetTables',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:BatchGetPartition',
];

/** Read access to the lake for Redshift Spectrum and COPY: the catalog of this account and region, and the bucket's data areas. */
function spectrumAccess(bucket: Resource<'AWS::S3::Bucket'>): Statement[] {
  return [
    {
      Sid: 'GlueCatalog',
      Action: SPECTRUM_CATALOG_ACTIONS,
      Resource: glueDatabaseArns('*'),
    },
    {
      Sid: 'ReadDataAreas',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: DATA_AREAS.map((area) => sub`${bucket.getAtt('Arn')}/${area.prefix}*`),
    },
    {
      Sid: 'ListDataAreas',
      Action: 's3:ListBucket',
      Resource: bucket.getAtt('Arn'),
      Condition: { StringLike: { 's3:prefix': DATA_AREAS.map((area) => `${area.prefix}*`) } },
    },
    { Sid: 'LocateBucket', Action: 's3:GetBucketLocation', Resource: bucket.getAtt('Arn') },
  ];
}

export function declarePipelineRoles(t: Template, bucket: Resource<'AWS::S3::Bucket'>): PipelineRoles {
  const PipelineRole = t.resource('PipelineRole', 'AWS::IAM::Role', {
    // Data Pipeline and the EMR clusters it drives act as this role; Redshift assumes it for Spectrum.
    AssumeRolePolicyDocument: serviceTrust(['datapipeline', 'elasticmapreduce', 'redshift']),
    ManagedPolicyArns: [managedPolicy('service-role/AWSDataPipelineRole')],
    Policies: [inlinePolicy('SpectrumAccess', spectrumAccess(bucket))],
  });
  const PipelineResourceRole = t.resource('PipelineResourceRole', 'AWS::IAM::Role', {
    // The pipeline's EC2 instances run as this role; Redshift assumes it for Spectrum.
    AssumeRolePolicyDocument: serviceTrust(['ec2', 'redshift']),
    ManagedPolicyArns: [managedPolicy('service-role/AmazonEC2RoleforDataPipelineRole')],
    Policies: [inlinePolicy('SpectrumAccess', spectrumAccess(bucket))],
  });
  return { PipelineRole, PipelineResourceRole };
}

// What Redshift Spectrum and COPY read of the lake: the Glue Data Catalog of
// this account and region, and the bucket's data areas; and the role the
// cluster assumes for them under the default engine, which may do nothing
// else. (Under the legacy engine the cluster uses the Data Pipeline roles,
// which carry the same grants: legacy/pipeline-roles.ts.)
import { sub } from '../../cfn/intrinsics';
import type { Condition, Resource, Template } from '../../cfn/template';
import { glueDatabaseArns, inlinePolicy, serviceTrust, type Statement } from '../shared/iam';
import { DATA_AREAS } from './bucket';

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
export function spectrumAccess(bucket: Resource<'AWS::S3::Bucket'>): Statement[] {
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

/** Declares RedshiftSpectrumRole: trusted by Redshift alone, granted only the lake reads above. */
export function declareSpectrumRole(
  t: Template,
  bucket: Resource<'AWS::S3::Bucket'>,
  condition: Condition,
): Resource<'AWS::IAM::Role'> {
  return t.resource(
    'RedshiftSpectrumRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['redshift']),
      Policies: [inlinePolicy('SpectrumAccess', spectrumAccess(bucket))],
    },
    { condition },
  );
}

// The advertising data lake (templates-out/advertising/lake.yaml): the Glue
// database, the crawler that catalogues the raw Firehose output, the ORC lake
// tables and the ETL jobs that fill them. The batch pipeline reads the
// database and table names from this stack's outputs.
import { AWS, sub } from '../../cfn/intrinsics';
import type { OutputDefinition, Template } from '../../cfn/template';
import { LAKE_STACK } from '..';
import { inlinePolicy, managedPolicy, serviceTrust } from '../shared/iam';
import { declareShared } from '../shared/parameters';
import { etlJobStatements, readRawData } from './lake/access';
import { DATASETS, RAW_TABLE_PREFIX, rawFolder, type Dataset } from './lake/datasets';
import { LANGUAGES, etlJob } from './lake/etl';
import { lakeTableInput } from './lake/tables';

/** The Glue database's name; the batch jobs and Redshift Spectrum find the tables under it. */
export const DATABASE_NAME = 'advertising';
/** The service's parameters that the lake declares too; the service passes each on unchanged. */
export const LAKE_PARAMETERS = ['CodeBucket', 'CodePrefix', 'BucketName', 'BucketARN'] as const;
export type LakeParameter = (typeof LAKE_PARAMETERS)[number];
/** The lake's outputs: its database's name and each lake table's. */
export type LakeOutput = 'Database' | TableOutput;
type TableOutput = `${Dataset['stem']}Table`;
/** The crawler's name, which operators use to start it. */
export const RAW_CRAWLER_NAME = 'raw_crawler';

/** How the crawler folds what it finds into the raw tables. */
const CRAWLER_CONFIGURATION = {
  Version: 1.0,
  // One table per folder even when some files carry extra columns.
  Grouping: { TableGroupingPolicy: 'CombineCompatibleSchemas' },
  CrawlerOutput: {
    Partitions: { AddOrUpdateBehavior: 'InheritFromTable' },
    Tables: { AddOrUpdateBehavior: 'MergeNewColumns' },
  },
};

export function lakeTemplate(): Template {
  const t = LAKE_STACK.template({
    description: 'Dataless advertising data lake: Glue database, raw crawler, ORC lake tables and the ETL jobs that fill them',
  });

  const { CodeBucket: codeBucket, CodePrefix: codePrefix, BucketName: bucketName, BucketARN: bucketArn } = declareShared(t, LAKE_PARAMETERS);

  const database = t.resource('Database', 'AWS::Glue::Database', {
    CatalogId: AWS.AccountId,
    DatabaseInput: { Name: DATABASE_NAME, Description: 'Advertising events: raw as delivered, and the ORC lake tables' },
  });

  // The managed policy covers the crawler's catalog and log calls; the data it reads is granted here.
  const crawlerRole = t.resource('CrawlerRole', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: serviceTrust(['glue']),
    ManagedPolicyArns: [managedPolicy('service-role/AWSGlueServiceRole')],
    Policies: [inlinePolicy('ReadRawData', readRawData(bucketArn))],
  });

  t.resource('RawCrawler', 'AWS::Glue::Crawler', {
    Name: RAW_CRAWLER_NAME,
    Description: 'Catalogues the raw impressions and clicks the delivery streams write as raw_ tables',
    Role: crawlerRole.getAtt('Arn'),
    DatabaseName: database,
    Targets: { S3Targets: DATASETS.map((dataset) => ({ Path: sub`s3://${bucketName}/${rawFolder(dataset)}` })) },
    TablePrefix: RAW_TABLE_PREFIX,
    SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'LOG' },
    Configuration: JSON.stringify(CRAWLER_CONFIGURATION),
  });

  const tables = DATASETS.map((dataset) => ({
    dataset,
    table: t.resource(`${dataset.stem}Table`, 'AWS::Glue::Table', {
      CatalogId: AWS.AccountId,
      DatabaseName: database,
      TableInput: lakeTableInput(dataset, bucketName),
    }),
  }));

  const etlRole = t.resource('ETLJobRole', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: serviceTrust(['glue']),
    Policies: [inlinePolicy('RunETLJobs', etlJobStatements({ bucketArn, codeBucket, codePrefix, database }))],
  });

  for (const { dataset, table } of tables) {
    for (const language of LANGUAGES) {
      t.resource(
        `${dataset.stem}${language}ETLJob`,
        'AWS::Glue::Job',
        etlJob(dataset, language, { role: etlRole.getAtt('Arn'), codeBucket, codePrefix, bucketName, database, table }),
      );
    }
  }

  // DATASETS holds one dataset of each stem, so this names every table output.
  const tableOutputs = Object.fromEntries(
    tables.map(({ dataset, table }) => [`${dataset.stem}Table`, { value: table, description: `The name of the ${dataset.name} lake table` }]),
  ) as Record<TableOutput, OutputDefinition>;
  LAKE_STACK.declareOutputs(t, {
    Database: { value: database, description: 'The name of the Glue database of the advertising lake' },
    ...tableOutputs,
  });
  return t;
}

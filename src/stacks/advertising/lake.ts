// The advertising data lake (templates-out/advertising/lake.yaml): the Glue
// database, the crawler that catalogues the raw Firehose output, the ORC lake
// tables and the ETL jobs that fill them. The batch pipeline reads the
// database, crawler and job names from this stack's outputs (LAKE_OUTPUTS).
import { AWS, join, select, split, sub, subWith, type Intrinsic } from '../../cfn/intrinsics';
import type { OutputDefinition, Template } from '../../cfn/template';
import { TemplateError } from '../../errors';
import { inlinePolicy, managedPolicy, serviceTrust } from '../shared/iam';
import { declareShared } from '../shared/parameters';
import { applyPermissionsBoundary } from '../shared/permissions-boundary';
import { etlJobStatements, readRawData } from './lake/access';
import { DATASETS, RAW_TABLE_PREFIX, rawFolder, type Dataset } from './lake/datasets';
import { LANGUAGES, etlJob, type Language } from './lake/etl';
import { lakeTableInput } from './lake/tables';
import { GLUE_BUCKET_ENCRYPTION } from '../shared/scan';
import { LAKE_STACK } from '..';

/** What the Glue database's name starts with; the rest comes from the stack (lakeDatabaseName). */
export const DATABASE_NAME_PREFIX = 'advertising_';
/** The service's parameters that the lake declares too; the service passes each on unchanged. */
export const LAKE_PARAMETERS = [
  'CodeBucket',
  'CodePrefix',
  'BucketName',
  'BucketARN',
  'PermissionsBoundaryArn',
] as const;
export type LakeParameter = (typeof LAKE_PARAMETERS)[number];
/**
 * What the lake hands the batch: the names its first steps use (the crawler
 * to start, the ETL job of each data set to run) and the database every job
 * reads. The batch stack declares a parameter of each name.
 */
export const LAKE_OUTPUTS = ['Database', 'RawCrawler', 'ImpressionsETLJob', 'ClicksETLJob'] as const;
export type LakeOutput = (typeof LAKE_OUTPUTS)[number];
/** The other outputs: each lake table's name. */
export type LakeTableOutput = `${Dataset['stem']}Table`;

/** The language of the ETL job the batch runs for each data set; its twin in the other language stays for running by hand. */
export const BATCH_ETL_LANGUAGE: Language = 'Python';

/** The output naming the ETL job the batch runs for a data set. */
export function etlJobOutput(dataset: Dataset): LakeOutput {
  return `${dataset.stem}ETLJob`;
}

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

/**
 * The Glue database's name, unique in the account and region: the prefix and
 * the UUID at the end of this stack's id, its hyphens turned into underscores
 * (`advertising_51af3dc0_da77_11e4_872e_1234567db123`). A stack id is unique,
 * and its UUID is lower-case hex, so the name is what Glue and Hive accept
 * unquoted (lower-case letters, digits and underscores) without the lower-casing
 * and character replacement CloudFormation cannot do; Split and Join make the
 * one replacement needed. Every job is given it, none writes it.
 */
export function lakeDatabaseName(): Intrinsic {
  const stackUuid = select(2, split('/', AWS.StackId));
  return subWith(`${DATABASE_NAME_PREFIX}\${StackUuid}`, { StackUuid: join('_', split('-', stackUuid)) });
}

export function lakeTemplate(): Template {
  const t = LAKE_STACK.template({
    description:
      'Dataless advertising data lake: Glue database, raw crawler, ORC lake tables and the ETL jobs that fill them',
  });

  const {
    CodeBucket: codeBucket,
    CodePrefix: codePrefix,
    BucketName: bucketName,
    BucketARN: bucketArn,
    PermissionsBoundaryArn: boundary,
  } = declareShared(t, LAKE_PARAMETERS);
  applyPermissionsBoundary(t, boundary);

  const database = t.resource('Database', 'AWS::Glue::Database', {
    CatalogId: AWS.AccountId,
    DatabaseInput: {
      Name: lakeDatabaseName(),
      Description: 'Advertising events: raw as delivered, and the ORC lake tables',
    },
  });

  // The managed policy covers the crawler's catalog and log calls; the data it reads is granted here.
  const crawlerRole = t.resource('CrawlerRole', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: serviceTrust(['glue']),
    ManagedPolicyArns: [managedPolicy('service-role/AWSGlueServiceRole')],
    Policies: [inlinePolicy('ReadRawData', readRawData(bucketArn))],
  });

  // No Name: CloudFormation names the crawler after the stack, so every branch has its own.
  const crawler = t.resource(
    'RawCrawler',
    'AWS::Glue::Crawler',
    {
      Description: 'Catalogues the raw impressions and clicks the delivery streams write as raw_ tables',
      Role: crawlerRole.getAtt('Arn'),
      DatabaseName: database,
      Targets: { S3Targets: DATASETS.map((dataset) => ({ Path: sub`s3://${bucketName}/${rawFolder(dataset)}` })) },
      TablePrefix: RAW_TABLE_PREFIX,
      SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'LOG' },
      Configuration: JSON.stringify(CRAWLER_CONFIGURATION),
    },
    { scanExceptions: GLUE_BUCKET_ENCRYPTION },
  );

  const tables = DATASETS.map((dataset) => ({
    dataset,
    table: t.resource(`${dataset.stem}Table`, 'AWS::Glue::Table', {
      CatalogId: AWS.AccountId,
      DatabaseName: database,
      TableInput: lakeTableInput(dataset, bucketName),
    }),
  }));

  const code = t.assets.codeAt({ bucket: codeBucket, prefix: codePrefix });
  const etlRole = t.resource('ETLJobRole', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: serviceTrust(['glue']),
    Policies: [inlinePolicy('RunETLJobs', etlJobStatements({ bucketArn, codeBucket, codePrefix, database }))],
  });

  const outputs = new Map<LakeOutput, OutputDefinition>([
    ['Database', { value: database, description: 'The name of the Glue database of the advertising lake' }],
    [
      'RawCrawler',
      {
        value: crawler,
        description: 'The name of the crawler that catalogues the raw data; the batch starts it first',
      },
    ],
  ]);
  for (const { dataset, table } of tables) {
    for (const language of LANGUAGES) {
      const job = t.resource(
        `${dataset.stem}${language}ETLJob`,
        'AWS::Glue::Job',
        etlJob(dataset, language, { role: etlRole.getAtt('Arn'), code, bucketName, database, table }),
        { scanExceptions: GLUE_BUCKET_ENCRYPTION },
      );
      if (language === BATCH_ETL_LANGUAGE) {
        outputs.set(etlJobOutput(dataset), {
          value: job,
          description: `The name of the ETL job the batch runs for ${dataset.name}`,
        });
      }
    }
  }

  for (const name of LAKE_OUTPUTS) {
    const output = outputs.get(name);
    if (!output) throw new TemplateError(`the lake declares no value for its output ${name}`);
    t.output(name, output);
  }
  for (const { dataset, table } of tables) {
    t.output(`${dataset.stem}Table` satisfies LakeTableOutput, {
      value: table,
      description: `The name of the ${dataset.name} lake table`,
    });
  }
  return t;
}

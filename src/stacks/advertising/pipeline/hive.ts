// Where the Step Functions engine runs the Hive jobs: an EMR Serverless
// application, the role its job runs act as, and the catalog tables the jobs
// write through. Under Data Pipeline the `output1` table of a Hive job is one
// the service defines from the activity's output data node; here the same
// tables are declared in the lake's Glue database, and each job is told its
// `output1` by name.
import { AWS, sub } from '../../../cfn/intrinsics';
import type { Resource, Template } from '../../../cfn/template';
import {
  arnIn,
  bucketArn,
  folderMarker,
  foldersAbove,
  glueDatabaseArns,
  inlinePolicy,
  objectsArn,
  readScripts,
  serviceTrust,
  type Statement,
} from '../../shared/iam';
import { glueColumns } from '../lake/datasets';
import { ADVERTISING, AD_TRAFFIC_COLUMNS, stagingFolder, type Dataset } from './datasets';
import { STAGED_DATASETS, datasetTitle } from './jobs';
import type { PipelineConditions, PipelineParameters } from './parameters';
import type { PipelineTables } from './tables';

/** The EMR Serverless release the Hive jobs run on (Hive 3.1.3 on Tez). */
export const HIVE_RELEASE_LABEL = 'emr-7.9.0';

/** How long one Hive job may run, as the original's pipeline resources were terminated after 3 hours. */
export const HIVE_JOB_TIMEOUT_MINUTES = 180;

/** The catalog table over the ad traffic DynamoDB table that load_ad_traffic_table.hql writes as `output1`. */
export const AD_TRAFFIC_HIVE_TABLE = 'ad_traffic_dynamodb';

/** The catalog table a stage_<table>_for_redshift.hql job writes as `output1`. */
export function stagingHiveTable(dataset: Dataset): string {
  return `redshift_${dataset.table}_staging`;
}

/** Where Hive keeps its scratch files and managed tables, and where the job runs log, under the data bucket. */
export const HIVE_SCRATCH_FOLDER = 'data/temp/hive/scratch';
export const HIVE_WAREHOUSE_FOLDER = 'data/temp/hive/warehouse';
export const HIVE_LOG_FOLDER = 'logs/emr-serverless/';

export interface HiveRuntime {
  readonly application: Resource<'AWS::EMRServerless::Application'>;
  readonly jobRole: Resource<'AWS::IAM::Role'>;
}

export function declareHiveRuntime(
  t: Template,
  params: PipelineParameters,
  conditions: PipelineConditions,
  tables: PipelineTables,
): HiveRuntime {
  const engine = { condition: conditions.stepFunctionsBatch };

  const application = t.resource(
    'HiveApplication',
    'AWS::EMRServerless::Application',
    {
      Type: 'HIVE',
      ReleaseLabel: HIVE_RELEASE_LABEL,
      Architecture: 'ARM64',
      // Started by the first job run of a day and stopped when idle: nothing is paid for between runs.
      AutoStartConfiguration: { Enabled: true },
      AutoStopConfiguration: { Enabled: true, IdleTimeoutMinutes: 15 },
      // At most what the original's per-run cluster had (10 core nodes of 4 vCPU and 15 GiB), so a runaway job cannot run up the bill.
      MaximumCapacity: { Cpu: '40vCPU', Memory: '160GB', Disk: '800GB' },
      MonitoringConfiguration: {
        S3MonitoringConfiguration: { LogUri: sub`s3://${params.BucketName}/${HIVE_LOG_FOLDER}` },
      },
    },
    engine,
  );

  const jobRole = t.resource(
    'HiveJobRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['emr-serverless']),
      Policies: [inlinePolicy('RunHiveJobs', hiveJobStatements(params, tables.adTraffic))],
    },
    engine,
  );

  declareOutputTables(t, params, conditions, tables);
  return { application, jobRole };
}

const glue = arnIn('glue');

/** What a Hive job run may do: read its script and the lake, write the lake's advertising table, staging and logs, keep the catalog and fill the ad traffic table. */
function hiveJobStatements(params: PipelineParameters, adTraffic: Resource<'AWS::DynamoDB::Table'>): Statement[] {
  const bucket = bucketArn(params.BucketName);
  const objects = (keys: string) => objectsArn(params.BucketName, keys);
  // What the jobs list, read and write, by key prefix; EMRFS also lists each folder above them by name and keeps a marker key beside it.
  const listed = ['data/', HIVE_LOG_FOLDER];
  const read = ['data/raw/', 'data/lake/', 'data/temp/'];
  const written = [`data/lake/${ADVERTISING.table}`, 'data/temp/'];
  const folders = (prefixes: readonly string[]) => [...new Set(prefixes.flatMap(foldersAbove))];
  const markers = (prefixes: readonly string[]) => folders(prefixes).map(folderMarker);
  return [
    readScripts('ReadHiveScripts', { bucket: params.CodeBucket, prefix: params.CodePrefix }, 'jobs/hive'),
    {
      Sid: 'ListData',
      Action: 's3:ListBucket',
      Resource: bucket,
      // EMRFS lists a folder by its name, with and without the slash, and its marker, to learn whether it exists.
      Condition: {
        StringLike: {
          's3:prefix': [
            ...listed.map((prefix) => `${prefix}*`),
            ...folders(listed).flatMap((folder) => [folder, `${folder}/`, folderMarker(folder)]),
          ],
        },
      },
    },
    { Sid: 'LocateDataBucket', Action: 's3:GetBucketLocation', Resource: bucket },
    {
      Sid: 'ReadData',
      Action: 's3:GetObject',
      Resource: [...read.map((path) => objects(`${path}*`)), ...markers(read).map(objects)],
    },
    {
      // The extract rewrites month partitions of the advertising table; staging, scratch and the warehouse are temporary.
      // The table's own key without a slash covers the folder markers the S3 file system writes next to its folders.
      Sid: 'WriteAdvertisingAndTemp',
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: [...written.map((path) => objects(`${path}*`)), ...markers(written).map(objects)],
    },
    {
      Sid: 'WriteJobLogs',
      Action: 's3:PutObject',
      Resource: [HIVE_LOG_FOLDER].flatMap((prefix) => [objects(`${prefix}*`), ...markers([prefix]).map(objects)]),
    },
    {
      // MSCK REPAIR adds the partitions the ETL jobs wrote; the extract adds and replaces its own.
      Sid: 'UseLakeCatalog',
      Action: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:GetTables',
        'glue:UpdateTable',
        'glue:GetPartition',
        'glue:GetPartitions',
        'glue:BatchGetPartition',
        'glue:CreatePartition',
        'glue:BatchCreatePartition',
        'glue:UpdatePartition',
        'glue:DeletePartition',
        'glue:BatchDeletePartition',
        'glue:GetUserDefinedFunctions',
      ],
      Resource: glueDatabaseArns(params.Database, { functions: true }),
    },
    {
      // Hive opens the `default` database when a session starts, creating it in an account that has none.
      Sid: 'OpenDefaultDatabase',
      Action: ['glue:GetDatabase', 'glue:CreateDatabase', 'glue:GetUserDefinedFunctions'],
      Resource: [glue`catalog`, glue`database/default`, glue`userDefinedFunction/default/*`],
    },
    {
      // The DynamoDB storage handler reads the table's capacity to pace its writes.
      Sid: 'FillAdTrafficTable',
      Action: ['dynamodb:DescribeTable', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem'],
      Resource: adTraffic.getAtt('Arn'),
    },
  ];
}

/** The tables the Hive jobs write as `output1`. */
function declareOutputTables(
  t: Template,
  params: PipelineParameters,
  conditions: PipelineConditions,
  tables: PipelineTables,
): void {
  t.resource(
    'AdTrafficHiveTable',
    'AWS::Glue::Table',
    {
      CatalogId: AWS.AccountId,
      DatabaseName: params.Database,
      TableInput: {
        Name: AD_TRAFFIC_HIVE_TABLE,
        Description: 'The ad traffic DynamoDB table as Hive sees it, through the EMR DynamoDB storage handler',
        TableType: 'EXTERNAL_TABLE',
        // What `STORED BY ... TBLPROPERTIES (...)` records in a Hive metastore.
        Parameters: {
          EXTERNAL: 'TRUE',
          storage_handler: 'org.apache.hadoop.hive.dynamodb.DynamoDBStorageHandler',
          'dynamodb.table.name': tables.adTraffic,
          'dynamodb.column.mapping': AD_TRAFFIC_COLUMNS.map((c) => `${c.name}:${c.name}`).join(','),
          // Without it the connector takes the region from EC2 instance metadata, which EMR Serverless
          // workers are not, and then defaults to us-east-1: the table would not be found elsewhere.
          'dynamodb.region': AWS.Region,
        },
        StorageDescriptor: {
          InputFormat: 'org.apache.hadoop.hive.dynamodb.read.HiveDynamoDBInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.dynamodb.write.HiveDynamoDBOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.dynamodb.DynamoDBSerDe' },
          Columns: glueColumns(AD_TRAFFIC_COLUMNS),
        },
      },
    },
    { condition: conditions.stepFunctionsBatch },
  );

  for (const dataset of STAGED_DATASETS) {
    t.resource(
      `Redshift${datasetTitle(dataset)}StagingHiveTable`,
      'AWS::Glue::Table',
      {
        CatalogId: AWS.AccountId,
        DatabaseName: params.Database,
        TableInput: {
          Name: stagingHiveTable(dataset),
          Description: `The day's ${dataset.table} as comma-separated text, staged for Redshift's COPY`,
          TableType: 'EXTERNAL_TABLE',
          Parameters: { EXTERNAL: 'TRUE', classification: 'csv' },
          StorageDescriptor: {
            Location: sub`s3://${params.BucketName}/${stagingFolder(dataset)}`,
            InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            SerdeInfo: {
              SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
              Parameters: { 'field.delim': ',', 'serialization.format': ',' },
            },
            Columns: glueColumns(dataset.columns),
          },
        },
      },
      { condition: conditions.stepFunctionsRedshift },
    );
  }
}

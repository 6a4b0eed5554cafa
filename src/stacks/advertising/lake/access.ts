// What the crawler and the ETL jobs may touch: the data catalog entries of
// this database, the bucket prefixes they read and write, the job scripts
// and Glue's own log groups. Nothing is granted on "*".
import { sub, type Intrinsic } from '../../../cfn/intrinsics';
import { arnIn, glueDatabaseArns, readScripts, type Statement } from '../../shared/iam';
import { LAKE_PREFIX, RAW_PREFIX, TEMP_PREFIX } from './datasets';

/** Where the lake's resources are. */
export interface LakeLocations {
  /** ARN of the data bucket. */
  readonly bucketArn: Intrinsic;
  /** Bucket holding the packaged job scripts. */
  readonly codeBucket: Intrinsic;
  /** Key prefix of the packaged code in that bucket. */
  readonly codePrefix: Intrinsic;
  /** Name of the Glue database. */
  readonly database: Intrinsic;
}

const glue = arnIn('glue');

/** Read access to the raw folders the delivery streams write. */
export function readRawData(bucketArn: Intrinsic): Statement[] {
  return [
    { Sid: 'ListDataBucket', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: bucketArn },
    { Sid: 'ReadRawData', Action: 's3:GetObject', Resource: sub`${bucketArn}/${RAW_PREFIX}*` },
  ];
}

/** Everything an ETL job does: read raw data and its script, write the lake, keep its catalog entries and logs. */
export function etlJobStatements(at: LakeLocations): Statement[] {
  return [
    {
      Sid: 'UseLakeCatalog',
      Action: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:GetPartition',
        'glue:GetPartitions',
        'glue:BatchGetPartition',
        'glue:CreatePartition',
        'glue:BatchCreatePartition',
        'glue:UpdatePartition',
      ],
      Resource: glueDatabaseArns(at.database),
    },
    // Spark's Hive catalog client (--enable-glue-datacatalog) looks up the
    // `default` database when it starts.
    { Sid: 'FindDefaultDatabase', Action: 'glue:GetDatabase', Resource: [glue`catalog`, glue`database/default`] },
    ...readRawData(at.bucketArn),
    readScripts('ReadJobScripts', { bucket: at.codeBucket, prefix: at.codePrefix }, 'jobs/glue'),
    {
      // Spark writes through temporary keys that it renames (copies) and deletes.
      Sid: 'WriteLakeAndScratch',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: [sub`${at.bucketArn}/${LAKE_PREFIX}*`, sub`${at.bucketArn}/${TEMP_PREFIX}*`],
    },
    {
      Sid: 'WriteJobLogs',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: arnIn('logs')`log-group:/aws-glue/*`,
    },
  ];
}

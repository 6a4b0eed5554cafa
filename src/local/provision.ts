// Creates in the AWS stand-in the resources the local run uses, each as the
// templates declare it: the buckets, the delivery streams (prefix,
// compression, buffering), the DynamoDB tables (keys, billing) and the Glue
// catalogue (databases and tables, through the Python side: there is no Glue
// client among the project's SDK packages).
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { AwsClients, ClientSettings } from '../aws/clients';
import type { Warehouse } from './template/warehouse';
import { asText } from './json';
import { LOCAL_ACCOUNT } from './template/stack';
import { runPython } from './python';

/** What was created, for the summary `up` prints. */
export interface Provisioned {
  readonly buckets: readonly string[];
  readonly streams: readonly string[];
  readonly tables: readonly string[];
  readonly catalogTables: readonly string[];
}

/** Where the resources are created: the stand-in's clients, and its environment for the Python side. */
export interface StandIn {
  /** The provider the clients come from (the IO host's). */
  readonly aws: AwsClients;
  /** The stand-in's address, region and credentials. */
  readonly settings: ClientSettings;
  /** The environment the Python side runs with, pointed at the stand-in. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Creates the warehouse's resources in the stand-in. */
export async function provision(warehouse: Warehouse, standIn: StandIn, root: string): Promise<Provisioned> {
  const { aws, settings, env } = standIn;
  const s3 = aws.s3(settings);
  const firehose = aws.firehose(settings);
  const dynamodb = aws.dynamoDB(settings);
  try {
    const buckets = warehouse.buckets();
    for (const bucket of buckets) await s3.send(new CreateBucketCommand({ Bucket: bucket }));

    const streams = warehouse.deliveryStreams();
    for (const stream of streams) {
      await firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: stream.name,
          DeliveryStreamType: 'DirectPut',
          ExtendedS3DestinationConfiguration: {
            BucketARN: `arn:aws:s3:::${stream.bucket}`,
            RoleARN: `arn:aws:iam::${LOCAL_ACCOUNT}:role/local-delivery`,
            Prefix: stream.prefix,
            CompressionFormat: stream.compression as 'GZIP',
            BufferingHints: { IntervalInSeconds: stream.bufferSeconds, SizeInMBs: stream.bufferMegabytes },
          },
        }),
      );
    }

    const tables = warehouse.keyValueTables();
    for (const table of tables) {
      const input: CreateTableCommandInput = {
        TableName: table.name,
        KeySchema: [...table.keySchema],
        AttributeDefinitions: [...table.attributeDefinitions],
        BillingMode: table.billingMode as 'PROVISIONED',
        ...(table.billingMode === 'PROVISIONED'
          ? { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1, ...table.provisionedThroughput } }
          : {}),
      };
      await dynamodb.send(new CreateTableCommand(input));
    }

    const catalog = warehouse.catalog();
    await runPython(root, ['catalog'], env, JSON.stringify(catalog));
    return {
      buckets,
      streams: streams.map((stream) => stream.name),
      tables: tables.map((table) => table.name),
      catalogTables: catalog.tables.map((table) => `${table.database}.${asText(table.input.Name)}`),
    };
  } finally {
    s3.destroy();
    firehose.destroy();
    dynamodb.destroy();
  }
}

// The two tables the batch pipeline writes: the joined advertising table in
// the data lake, and the per-day ad traffic table the API serves from.
import { AWS, sub } from '../../../cfn/intrinsics';
import type { Resource, Template } from '../../../cfn/template';
import { orcTableInput } from '../lake/tables';
import { ADVERTISING } from './datasets';
import type { PipelineParameters } from './parameters';

export interface PipelineTables {
  readonly advertising: Resource<'AWS::Glue::Table'>;
  readonly adTraffic: Resource<'AWS::DynamoDB::Table'>;
}

export function declareTables(t: Template, params: PipelineParameters): PipelineTables {
  const advertising = t.resource('AdvertisingTable', 'AWS::Glue::Table', {
    CatalogId: AWS.AccountId,
    DatabaseName: params.Database,
    // Partitioned like the impressions and clicks tables, so one month is rewritten at a time.
    TableInput: orcTableInput({
      name: ADVERTISING.table,
      description: 'Ad impressions joined with their clicks',
      columns: ADVERTISING.columns,
      location: sub`s3://${params.BucketName}/data/lake/${ADVERTISING.table}/`,
    }),
  });

  // Provisioned at the floor: the pipeline raises write capacity around its
  // load and lowers it again (see change_write_capacity.sh), and reads are light.
  // Its rows are derived from the lake, so a replaced table is simply reloaded.
  const adTraffic = t.resource('AdTrafficTable', 'AWS::DynamoDB::Table', {
    AttributeDefinitions: [
      { AttributeName: 'ad_id', AttributeType: 'S' },
      { AttributeName: 'day', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'ad_id', KeyType: 'HASH' },
      { AttributeName: 'day', KeyType: 'RANGE' },
    ],
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    SSESpecification: { SSEEnabled: true },
  }, {
    deletionPolicy: 'Delete',
    updateReplacePolicy: 'Delete',
    scanExceptions: {
      CKV_AWS_28: 'derived data: the batch recomputes every day of it from the lake, so a point-in-time restore would bring back nothing the lake does not hold',
      CKV_AWS_119: 'encrypted at rest with the AWS-managed DynamoDB key; the rows are per-ad daily counts the API serves, with no reader a customer-managed key policy would exclude',
    },
  });

  return { advertising, adTraffic };
}

// The two tables the batch pipeline writes: the joined advertising table in
// the data lake, and the per-day ad traffic table the API serves from.
import { AWS, fnIf, sub } from '../../../cfn/intrinsics';
import type { CfnResourceTypes } from '../../../cfn/resource-types';
import type { Resource, Template } from '../../../cfn/template';
import { orcTableInput } from '../lake/tables';
import { ADVERTISING } from './datasets';
import type { PipelineConditions, PipelineParameters } from './parameters';

type Throughput = NonNullable<CfnResourceTypes['AWS::DynamoDB::Table']['ProvisionedThroughput']>;

export interface PipelineTables {
  readonly advertising: Resource<'AWS::Glue::Table'>;
  readonly adTraffic: Resource<'AWS::DynamoDB::Table'>;
}

export function declareTables(t: Template, params: PipelineParameters, conditions: PipelineConditions): PipelineTables {
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

  // On demand unless AdTrafficBillingMode says PROVISIONED: then at the original's
  // floor, and the batch raises write capacity around its load and lowers it again
  // (the state machine's capacity steps, or change_write_capacity.sh under Data
  // Pipeline; both skip a table billed on demand).
  // Its rows are derived from the lake, so a replaced table is simply reloaded.
  const adTraffic = t.resource(
    'AdTrafficTable',
    'AWS::DynamoDB::Table',
    {
      AttributeDefinitions: [
        { AttributeName: 'ad_id', AttributeType: 'S' },
        { AttributeName: 'day', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'ad_id', KeyType: 'HASH' },
        { AttributeName: 'day', KeyType: 'RANGE' },
      ],
      BillingMode: fnIf(conditions.provisionedAdTraffic, 'PROVISIONED', 'PAY_PER_REQUEST'),
      // An Fn::If in place of the object; cloudform-types types the property as the object alone.
      ProvisionedThroughput: fnIf<Throughput>(
        conditions.provisionedAdTraffic,
        { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        AWS.NoValue,
      ) as unknown as Throughput,
      SSESpecification: { SSEEnabled: true },
    },
    {
      deletionPolicy: 'Delete',
      updateReplacePolicy: 'Delete',
      scanExceptions: {
        CKV_AWS_28:
          'derived data: the batch recomputes every day of it from the lake, so a point-in-time restore would bring back nothing the lake does not hold',
        CKV_AWS_119:
          'encrypted at rest with the AWS-managed DynamoDB key; the rows are per-ad daily counts the API serves, with no reader a customer-managed key policy would exclude',
      },
    },
  );

  return { advertising, adTraffic };
}

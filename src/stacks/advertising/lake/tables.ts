// The lake tables: external ORC tables over the lake folders, partitioned by
// year and month, which the ETL jobs fill and the batch pipeline reads.
import type { TableInput } from 'cloudform-types/types/glue/table';
import { sub, type SubPart } from '../../../cfn/intrinsics';
import { PARTITION_KEYS, lakeFolder, type Dataset } from './datasets';

const ORC = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat',
  SerializationLibrary: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde',
} as const;

/** The Glue TableInput of a data set's lake table in the given data bucket. */
export function lakeTableInput(dataset: Dataset, bucketName: SubPart): TableInput {
  return {
    Name: dataset.name,
    Description: dataset.description,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'orc' },
    PartitionKeys: [...PARTITION_KEYS],
    StorageDescriptor: {
      Location: sub`s3://${bucketName}/${lakeFolder(dataset)}`,
      StoredAsSubDirectories: true,
      InputFormat: ORC.InputFormat,
      OutputFormat: ORC.OutputFormat,
      SerdeInfo: { SerializationLibrary: ORC.SerializationLibrary },
      Columns: [...dataset.columns],
    },
  };
}

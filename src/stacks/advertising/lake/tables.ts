// The lake's ORC tables: external tables over folders of the data bucket,
// partitioned by year and month. The ETL jobs fill the event tables; the
// batch pipeline declares its joined table the same way.
import type { TableInput } from 'cloudform-types/types/glue/table';
import { sub, type Intrinsic, type SubPart } from '../../../cfn/intrinsics';
import { PARTITION_KEYS, glueColumns, lakeFolder, type Column, type Dataset } from './datasets';

const ORC = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat',
  SerializationLibrary: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde',
} as const;

/** What an ORC table is apart from its format. */
export interface OrcTable {
  readonly name: string;
  readonly description: string;
  /** The columns, without the partition keys. */
  readonly columns: readonly Column[];
  /** The `s3://` URL of its folder. */
  readonly location: Intrinsic;
}

/** The Glue TableInput of an ORC table partitioned by year and month. */
export function orcTableInput(table: OrcTable): TableInput {
  return {
    Name: table.name,
    Description: table.description,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'orc' },
    PartitionKeys: glueColumns(PARTITION_KEYS),
    StorageDescriptor: {
      Location: table.location,
      StoredAsSubDirectories: true,
      InputFormat: ORC.InputFormat,
      OutputFormat: ORC.OutputFormat,
      SerdeInfo: { SerializationLibrary: ORC.SerializationLibrary },
      Columns: glueColumns(table.columns),
    },
  };
}

/** The Glue TableInput of a data set's lake table in the given data bucket. */
export function lakeTableInput(dataset: Dataset, bucketName: SubPart): TableInput {
  return orcTableInput({ ...dataset, location: sub`s3://${bucketName}/${lakeFolder(dataset)}` });
}

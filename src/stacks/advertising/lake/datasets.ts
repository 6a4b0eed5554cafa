// The two event data sets of the lake and where each lives in the data
// bucket. The Firehose delivery streams write the raw prefixes, the raw
// crawler turns them into `raw_<name>` tables, and the ETL jobs rewrite
// them as ORC under the lake prefixes. Their columns are stated here once;
// the batch pipeline's tables (pipeline/datasets.ts) build on them.

/** A column type, in Hive's spelling. */
export type ColumnType = 'STRING' | 'TIMESTAMP' | 'BIGINT' | 'INT';

/** A column of a table. */
export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

/** One kind of advertising event as the lake stores it. */
export interface Dataset {
  /** The stem of its logical ids: `${stem}Table`, `${stem}PythonETLJob`, ... */
  readonly stem: 'Impressions' | 'Clicks';
  /** The lake table's name, also the name of its raw and lake folders. */
  readonly name: string;
  /** The lake table's description. */
  readonly description: string;
  /** The lake table's columns, without the partition keys. */
  readonly columns: readonly Column[];
}

/** Where the delivery streams write, one folder per data set. */
export const RAW_PREFIX = 'data/raw/ad/';
/** Where the ETL jobs write the ORC tables, one folder per data set. */
export const LAKE_PREFIX = 'data/lake/ad/';
/** Scratch space of the Glue jobs. */
export const TEMP_PREFIX = 'data/temp/glue/';

/** The crawler names each raw table after its folder, behind this prefix. */
export const RAW_TABLE_PREFIX = 'raw_';

/** The lake tables are partitioned by the month the events arrived in. */
export const PARTITION_KEYS: readonly Column[] = [
  { name: 'year', type: 'INT' },
  { name: 'month', type: 'INT' },
];

export const IMPRESSIONS: Dataset = {
  stem: 'Impressions',
  name: 'impressions',
  description: 'Ad impressions',
  columns: [
    { name: 'impression_id', type: 'STRING' },
    { name: 'ad_id', type: 'STRING' },
    { name: 'occurred_at', type: 'TIMESTAMP' },
  ],
};

export const CLICKS: Dataset = {
  stem: 'Clicks',
  name: 'clicks',
  description: 'Ad clicks',
  columns: [
    { name: 'impression_id', type: 'STRING' },
    { name: 'click_id', type: 'STRING' },
    { name: 'ad_id', type: 'STRING' },
    { name: 'occurred_at', type: 'TIMESTAMP' },
  ],
};

export const DATASETS: readonly Dataset[] = [IMPRESSIONS, CLICKS];

/** Glue column definitions (lower-case Hive types). */
export function glueColumns(columns: readonly Column[]): { Name: string; Type: string }[] {
  return columns.map((c) => ({ Name: c.name, Type: c.type.toLowerCase() }));
}

/** The folder the delivery stream writes this data set to. */
export function rawFolder(dataset: Dataset): string {
  return `${RAW_PREFIX}${dataset.name}/`;
}

/** The folder the lake table of this data set reads. */
export function lakeFolder(dataset: Dataset): string {
  return `${LAKE_PREFIX}${dataset.name}/`;
}

/** The table the raw crawler makes of this data set's raw folder. */
export function rawTableName(dataset: Dataset): string {
  return `${RAW_TABLE_PREFIX}${dataset.name}`;
}

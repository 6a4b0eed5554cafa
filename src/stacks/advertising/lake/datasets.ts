// The two event data sets of the lake and where each lives in the data
// bucket. The Firehose delivery streams write the raw prefixes, the raw
// crawler turns them into `raw_<name>` tables, and the ETL jobs rewrite
// them as ORC under the lake prefixes.

/** A column of a lake table, in Hive type names. */
export interface Column {
  readonly Name: string;
  readonly Type: string;
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
  { Name: 'year', Type: 'int' },
  { Name: 'month', Type: 'int' },
];

export const IMPRESSIONS: Dataset = {
  stem: 'Impressions',
  name: 'impressions',
  description: 'Ad impressions',
  columns: [
    { Name: 'impression_id', Type: 'string' },
    { Name: 'ad_id', Type: 'string' },
    { Name: 'occurred_at', Type: 'timestamp' },
  ],
};

export const CLICKS: Dataset = {
  stem: 'Clicks',
  name: 'clicks',
  description: 'Ad clicks',
  columns: [
    { Name: 'impression_id', Type: 'string' },
    { Name: 'click_id', Type: 'string' },
    { Name: 'ad_id', Type: 'string' },
    { Name: 'occurred_at', Type: 'timestamp' },
  ],
};

export const DATASETS: readonly Dataset[] = [IMPRESSIONS, CLICKS];

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

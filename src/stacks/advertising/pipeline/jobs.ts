// What both batch engines run, stated once: the run's fields each job takes,
// the datasets staged for Redshift's COPY, and the Spectrum load scripts.
// Data Pipeline (legacy/objects.ts, legacy/redshift.ts) and Step Functions (workflow.ts)
// each express a run field their own way.
import { ADVERTISING, CLICKS, IMPRESSIONS, type Dataset } from './datasets';

/** A field of the day being processed. */
export type RunField = 'year' | 'month' | 'day' | 'dateStart' | 'dateEnd';

/** The variable every Hive job reads the lake's Glue database from (`${DATABASE}.impressions`). */
export const HIVE_DATABASE_VARIABLE = 'DATABASE';

/** The variables every Hive job reads (`${PARTITION_YEAR}` and so on), and the run field each holds. */
export const HIVE_RUN_VARIABLES: Readonly<Record<string, RunField>> = {
  PARTITION_YEAR: 'year',
  PARTITION_MONTH: 'month',
  DATE_START: 'dateStart',
  DATE_END: 'dateEnd',
};

/** The datasets staged for Redshift's COPY, in the order the original declared their loads. */
export const STAGED_DATASETS: readonly Dataset[] = [IMPRESSIONS, CLICKS, ADVERTISING];

/** Title-cased table name, as logical ids and state names spell it: `Impressions`. */
export function datasetTitle(dataset: Dataset): string {
  return dataset.table.charAt(0).toUpperCase() + dataset.table.slice(1);
}

/** The Spectrum schema name the SQL jobs read lake tables through (`advertising.impressions`, ...). */
export const SPECTRUM_SCHEMA = 'advertising';

/** One jobs/redshift/ script that copies a lake table into Redshift through Spectrum. */
export interface SpectrumLoad {
  /** The original's activity id, also the state name. */
  readonly name: string;
  /** The script's name, without `.sql`. */
  readonly script: string;
  /** The run fields bound to the script's `?` marks, in order. */
  readonly arguments: readonly RunField[];
  /** It reads the table the day's extract writes, so it waits for the extract. @default false */
  readonly afterExtract?: boolean;
}

// Raw tables are partitioned by the crawler's year/month/day folders; lake tables by year and month.
const RAW: readonly RunField[] = ['year', 'month', 'day', 'dateStart', 'dateEnd'];
const LAKE: readonly RunField[] = ['year', 'month', 'dateStart', 'dateEnd'];

export const SPECTRUM_LOADS: readonly SpectrumLoad[] = [
  { name: 'SpectrumLoadRawImpressions', script: 'load_raw_impressions_from_spectrum', arguments: RAW },
  { name: 'SpectrumLoadRawClicks', script: 'load_raw_clicks_from_spectrum', arguments: RAW },
  { name: 'SpectrumLoadImpressions', script: 'load_impressions_from_spectrum', arguments: LAKE },
  { name: 'SpectrumLoadClicks', script: 'load_clicks_from_spectrum', arguments: LAKE },
  { name: 'SpectrumLoadAdvertising', script: 'load_advertising_from_spectrum', arguments: LAKE, afterExtract: true },
];

// The Glue ETL jobs that rewrite each raw table into its lake table. Every
// data set has a PySpark and a Scala job running the same transformation;
// they are alternatives (run one or the other), kept because the original
// offers both.
import type { JobProperties } from 'cloudform-types/types/glue/job';
import type { CodeAssets } from '../../../cfn/assets';
import { sub, type SubPart, type Value } from '../../../cfn/intrinsics';
import { TEMP_PREFIX, rawTableName, type Dataset } from './datasets';

/** A current Glue runtime (Spark 3.5, Python 3.11, Scala 2.12). */
export const GLUE_VERSION = '5.0';
/** The smallest Spark worker and the fewest workers Glue allows with it. */
export const WORKER_TYPE = 'G.1X';
export const NUMBER_OF_WORKERS = 2;

/** The entry object every Scala job script defines. */
export const SCALA_CLASS = 'GlueApp';

export type Language = 'Python' | 'Scala';
export const LANGUAGES: readonly Language[] = ['Python', 'Scala'];

const EXTENSION: Record<Language, string> = { Python: 'py', Scala: 'scala' };

/** What a job is wired to. */
export interface JobInputs {
  /** ARN of the role the job runs as. */
  readonly role: Value<string>;
  /** Where the packaged job scripts are; each script the job runs is declared there. */
  readonly code: CodeAssets;
  /** The data bucket (for the job's scratch space). */
  readonly bucketName: SubPart;
  /** Name of the Glue database holding the raw and lake tables. */
  readonly database: Value<string>;
  /** Name of the lake table the job writes. */
  readonly table: Value<string>;
}

/**
 * Repository-relative path of the module the Python jobs share (transformation
 * and Glue entry point); each Python job gets it on its Python path.
 */
export const SHARED_PYTHON_MODULE = 'jobs/glue/lake_etl.py';

/** Repository-relative path of a job's script, as packaged under the code prefix. */
export function scriptPath(dataset: Dataset, language: Language): string {
  return `jobs/glue/${dataset.name}_etl.${EXTENSION[language]}`;
}

/** The properties of one ETL job. */
export function etlJob(dataset: Dataset, language: Language, inputs: JobInputs): JobProperties {
  const twin = language === 'Python' ? 'Scala' : 'Python';
  return {
    Description:
      `Rewrites raw ${dataset.name} that arrived since the last run into the ORC ${dataset.name} table ` +
      `(${language}; its ${twin} twin does the same: run one of them, not both)`,
    Role: inputs.role,
    GlueVersion: GLUE_VERSION,
    WorkerType: WORKER_TYPE,
    NumberOfWorkers: NUMBER_OF_WORKERS,
    Command: {
      Name: 'glueetl',
      ScriptLocation: inputs.code.url(scriptPath(dataset, language)),
      ...(language === 'Python' ? { PythonVersion: '3' } : {}),
    },
    DefaultArguments: {
      ...(language === 'Scala'
        ? { '--job-language': 'scala', '--class': SCALA_CLASS }
        : {
            '--job-language': 'python',
            // The job script imports the shared steps as `lake_etl`; Glue puts this file on its path.
            '--extra-py-files': inputs.code.url(SHARED_PYTHON_MODULE),
          }),
      // Bookmarks make each run read only the raw files added since the last committed run.
      '--job-bookmark-option': 'job-bookmark-enable',
      '--enable-glue-datacatalog': 'true',
      '--TempDir': sub`s3://${inputs.bucketName}/${TEMP_PREFIX}`,
      '--database_name': inputs.database,
      // The crawler names raw tables after their folders; a crawler declared in
      // CloudFormation cannot be pointed at an existing table instead.
      '--raw_table_name': rawTableName(dataset),
      '--table_name': inputs.table,
    },
    // Two overlapping runs would read the same bookmark and write rows twice.
    ExecutionProperty: { MaxConcurrentRuns: 1 },
    MaxRetries: 0,
  };
}

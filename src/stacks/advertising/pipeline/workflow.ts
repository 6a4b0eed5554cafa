// The daily batch as a Step Functions state machine: the same jobs the
// original's Data Pipeline ran, in the same order, on current engines.
//
//   CheckRunDate, PlanRun        which day to process: `date` of the input, else the day before the scheduled time
//   StartRawCrawler, ...         the lake's raw crawler, started (or joined, when already running) and waited for
//   ConvertRawData, in parallel: each data set's Glue ETL job (job bookmarks: only what is new) into the lake
//   ExtractAdvertisingData       Hive on EMR Serverless: the day's impressions joined with their clicks
//   LoadDay, in parallel:
//     ad traffic                 raise the table's write capacity, LoadAdTrafficData (Hive), restore the capacity
//     Redshift (when given)      stage each dataset (Hive) and COPY it; map the lake into Redshift (Spectrum) and
//                                run the five Spectrum load scripts through the Redshift Data API
//
// State names follow the original's activity ids where a state does what an
// activity did, so a run of either engine reads the same.
import type { CodeAssets } from '../../../cfn/assets';
import { etlJobOutput } from '../lake';
import { DATASETS as LAKE_DATASETS, rawTableName, type Dataset as LakeDataset } from '../lake/datasets';
import { createTableIfNotExistsSql, stagingFolder, type Dataset } from './datasets';
import {
  AD_TRAFFIC_HIVE_TABLE,
  HIVE_JOB_TIMEOUT_MINUTES,
  HIVE_SCRATCH_FOLDER,
  HIVE_WAREHOUSE_FOLDER,
  stagingHiveTable,
} from './hive';
import {
  HIVE_DATABASE_VARIABLE,
  HIVE_RUN_VARIABLES,
  SPECTRUM_LOADS,
  SPECTRUM_SCHEMA,
  STAGED_DATASETS,
  datasetTitle,
  type RunField,
} from './jobs';
import {
  ChoiceState,
  FailState,
  MapState,
  ParallelState,
  PassState,
  SucceedState,
  TaskState,
  WaitState,
  concat,
  expr,
  jsonata,
  quote,
  stateMachineDefinition,
  type Expr,
  type JsonValue,
  type Part,
  type Retrier,
  type State,
} from './states';

/** The names the definition takes from CloudFormation (DefinitionSubstitutions). */
export const SUBSTITUTION_NAMES = [
  'HiveApplicationId',
  'HiveJobRoleArn',
  'CodeBucket',
  'CodePrefix',
  'BucketName',
  'Database',
  'RawCrawler',
  'ImpressionsETLJob',
  'ClicksETLJob',
  'AdTrafficTable',
  'RedshiftEnabled',
  'RedshiftClusterId',
  'RedshiftDatabase',
  'RedshiftUsername',
  'SpectrumRoleArn',
] as const;
export type SubstitutionName = (typeof SUBSTITUTION_NAMES)[number];
export type Placeholders = { readonly [K in SubstitutionName]: string };

/** The value of RedshiftEnabled when a cluster and its credentials are given. */
export const REDSHIFT_ENABLED = 'yes';

/** The run's day and its parts, as the Hive and SQL jobs take them (`$run`, set by PlanRun). */
export const RUN: Readonly<Record<RunField, Expr>> = {
  year: expr('$run.year'),
  month: expr('$run.month'),
  day: expr('$run.day'),
  dateStart: expr('$run.dateStart'),
  dateEnd: expr('$run.dateEnd'),
};

/** Write capacity the ad traffic table borrows for its load, as the original's capacity script did. */
export const LOAD_WRITE_CAPACITY = 1000;

/** Seconds between two looks at something that is still changing (a table update, a SQL statement). */
export const POLL_SECONDS = 10;

/** Seconds between two looks at the raw crawler, which takes minutes. */
export const CRAWLER_POLL_SECONDS = 30;

/**
 * The Hive configuration every job run gets: the Glue Data Catalog as the
 * metastore (EMR Serverless's default, stated so that a job never runs against
 * a session-local metastore that forgets every table and partition).
 */
export const HIVE_SITE = {
  'hive.metastore.client.factory.class': 'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory',
};

/**
 * The arguments each lake ETL job run is given, stated in the run rather than
 * left to the job's defaults so that a run reads whole: the bookmark (only the
 * raw files added since the last successful run), the database and the two
 * tables.
 */
export function etlJobArguments(dataset: LakeDataset, database: string): Record<string, string> {
  return {
    '--job-bookmark-option': 'job-bookmark-enable',
    '--database_name': database,
    '--raw_table_name': rawTableName(dataset),
    '--table_name': dataset.name,
  };
}

/** An execution fails after this long, as the original's pipeline resources were terminated after 3 hours per step. */
export const MACHINE_TIMEOUT_SECONDS = 6 * 60 * 60;

const DAY_PICTURE = "'[Y0001]-[M01]-[D01]'";
const DAY_MS = 24 * 60 * 60 * 1000;

/** True when the input names a `date` that is not a real yyyy-MM-dd day. */
const BAD_RUN_DATE =
  `$exists($states.input.date) ? ($type($states.input.date) != 'string' ? true : ` +
  `($contains($states.input.date, /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/) ? ` +
  `$fromMillis($toMillis($states.input.date, ${DAY_PICTURE}), ${DAY_PICTURE}) != $states.input.date : true)) : false`;

/**
 * The run's day: `date` when the input gives one (to re-run a day), else the
 * day before the schedule's time (`scheduledTime`) or, for a run started by
 * hand, the day before the execution started. A day's events are complete once
 * it is over, as with the original's daily schedule.
 */
const PLAN_RUN =
  `( $picture := ${DAY_PICTURE}; ` +
  `$day := $exists($states.input.date) ? $states.input.date : ` +
  `$fromMillis($toMillis($exists($states.input.scheduledTime) ? $states.input.scheduledTime : $states.context.Execution.StartTime) - ${DAY_MS}, $picture); ` +
  `$next := $fromMillis($toMillis($day, $picture) + ${DAY_MS}, $picture); ` +
  `{ 'year': $substring($day, 0, 4), 'month': $string($number($substring($day, 5, 2))), ` +
  `'day': $string($number($substring($day, 8, 2))), 'dateStart': $day, 'dateEnd': $next } )`;

/**
 * A SQL script with its `?` marks bound: comments dropped, each mark replaced
 * in order by the next argument as a quoted literal, split into statements.
 * The arguments are the run's own date parts, checked by CheckRunDate.
 */
const BIND_SCRIPT =
  `( $text := $replace($states.result.Body, /--.*/, ''); ` +
  `$values := [$states.input.arguments.($lookup($run, $))]; ` +
  `{ 'name': $states.input.name, 'marks': $count($split($text, '?')) - 1, 'arguments': $count($values), ` +
  `'sqls': [$split($reduce($values, function($sql, $value) { $replace($sql, '?', "'" & $value & "'", 1) }, $text), ';').$trim($)[$ != '']] } )`;

/** A failed Hive job is run once more, as the original's activities were retried once. */
const HIVE_RETRY: Retrier = { errors: ['States.TaskFailed'], intervalSeconds: 120, maxAttempts: 1, backoffRate: 1 };
/** A failed ETL job is run once more: its bookmark only moves when a run succeeds, so the retry converts the same files. */
const ETL_RETRY: Retrier = { errors: ['States.TaskFailed'], intervalSeconds: 120, maxAttempts: 1, backoffRate: 1 };
/** A job run refused because the previous one (started by hand) still runs is started again once that one is done. */
const ETL_BUSY_RETRY: Retrier = {
  errors: ['Glue.ConcurrentRunsExceededException'],
  intervalSeconds: 60,
  maxAttempts: 10,
  backoffRate: 1.5,
};
/** API calls are retried on throttling and on a resource that is still changing. */
const API_RETRY: Retrier = {
  errors: ['States.TaskFailed'],
  intervalSeconds: 5,
  maxAttempts: 4,
  backoffRate: 2,
  jitter: true,
};

/** Builds the workflow over the placeholders, declaring the scripts it runs in `code`; returns its start state. */
export function batchWorkflow(ph: Placeholders, code: CodeAssets): State {
  // Integration ARNs are written in the aws partition, which is what cfn-lint's schema of a definition accepts.
  const integration = (name: string) => `arn:aws:states:::${name}`;

  /** A Hive script of jobs/hive/ run on EMR Serverless with the run's variables (and `extra`, e.g. `output1`). */
  const hiveJob = (
    name: string,
    script: string,
    extra: { vars?: Record<string, Part>; conf?: Record<string, string>; comment?: string } = {},
  ) => {
    const conf: Record<string, string> = {
      'hive.exec.scratchdir': `s3://${ph.BucketName}/${HIVE_SCRATCH_FOLDER}`,
      'hive.metastore.warehouse.dir': `s3://${ph.BucketName}/${HIVE_WAREHOUSE_FOLDER}`,
      ...extra.conf,
    };
    const vars: Record<string, Part> = {
      [HIVE_DATABASE_VARIABLE]: ph.Database,
      ...Object.fromEntries(Object.entries(HIVE_RUN_VARIABLES).map(([name, field]) => [name, RUN[field]])),
      ...extra.vars,
    };
    const parameters: Part[] = [
      ...Object.entries(conf).map(([key, value]) => `--hiveconf ${key}=${value} `),
      ...Object.entries(vars).flatMap(([key, value]): Part[] => [`--hivevar ${key}=`, value, ' ']),
    ];
    parameters.pop();
    return new TaskState(name, {
      comment: extra.comment,
      resource: integration('emr-serverless:startJobRun.sync'),
      arguments: {
        ApplicationId: ph.HiveApplicationId,
        ExecutionRoleArn: ph.HiveJobRoleArn,
        Name: concat(`${script} `, RUN.dateStart),
        ExecutionTimeoutMinutes: HIVE_JOB_TIMEOUT_MINUTES,
        JobDriver: {
          Hive: {
            Query: `s3://${ph.CodeBucket}/${ph.CodePrefix}/${code.path(`jobs/hive/${script}.hql`)}`,
            Parameters: concat(...parameters),
          },
        },
        ConfigurationOverrides: { ApplicationConfiguration: [{ Classification: 'hive-site', Properties: HIVE_SITE }] },
      },
    }).retry(HIVE_RETRY);
  };

  /** Polls a Redshift Data API statement started by `run` until it has finished; returns the state reached on success. */
  const untilFinished = (run: TaskState, label: string): PassState => {
    const wait = new WaitState(`WaitFor${label}`, POLL_SECONDS);
    const check = new TaskState(`Check${label}`, {
      resource: integration('aws-sdk:redshiftdata:describeStatement'),
      arguments: { Id: jsonata('$states.input.Id') },
      output: jsonata(
        "{ 'Name': $states.input.Name, 'Id': $states.result.Id, 'Status': $states.result.Status, 'Error': $states.result.Error }",
      ),
    }).retry(API_RETRY);
    const finished = new PassState(`${label}Finished`);
    const failed = new FailState(`${label}Failed`, {
      error: 'RedshiftStatementFailed',
      cause: concat(expr('$states.input.Name'), ': ', expr('$states.input.Error')),
    });
    const decide = new ChoiceState(`Is${label}Finished`)
      .when(jsonata("$states.input.Status = 'FINISHED'"), finished)
      .when(jsonata("$states.input.Status in ['FAILED', 'ABORTED']"), failed)
      .otherwise(wait);
    run.next(wait).next(check).next(decide);
    return finished;
  };

  const redshiftTarget = {
    ClusterIdentifier: ph.RedshiftClusterId,
    Database: ph.RedshiftDatabase,
    DbUser: ph.RedshiftUsername,
  };
  /** What a statement's poll carries: its name, for the error when it fails, and its id. */
  const statementId = (name: string | Expr) =>
    jsonata(`{ 'Name': ${typeof name === 'string' ? quote(name) : name.text}, 'Id': $states.result.Id }`);

  // The top level: the run's day, then the extract that everything else reads.
  const checkRunDate = new ChoiceState('CheckRunDate', 'A date given in the input must be a real day, yyyy-MM-dd');
  const invalidRunDate = new FailState('InvalidRunDate', {
    error: 'InvalidRunDate',
    cause: concat(
      'date must be a day written yyyy-MM-dd, such as 2019-06-06; the input gave ',
      expr('$string($states.input.date)'),
    ),
  });
  const planRun = new PassState('PlanRun', {
    comment: 'Sets $run: the day processed and its parts',
    assign: { run: jsonata(PLAN_RUN) },
  });
  checkRunDate.when(jsonata(BAD_RUN_DATE), invalidRunDate).otherwise(planRun);

  const batchFailed = new FailState('BatchFailed', {
    error: jsonata('$states.input.Error'),
    cause: jsonata('$states.input.Cause'),
  });
  const extract = hiveJob('ExtractAdvertisingData', 'extract_advertising_data', {
    comment: "Rebuilds the day's rows of the advertising table: each impression with its first click",
  }).catch({ errors: ['States.ALL'], next: batchFailed });
  const loadDay = new ParallelState('LoadDay', {
    comment: "Loads the day's data into DynamoDB and, when given, Redshift",
    output: jsonata('$states.input'),
  })
    .branch(adTrafficBranch())
    .branch(redshiftBranch())
    .catch({ errors: ['States.ALL'], next: batchFailed });
  const convert = new ParallelState('ConvertRawData', {
    comment: 'Converts the raw data added since the last run into the lake tables',
    output: jsonata('$states.input'),
  });
  for (const dataset of LAKE_DATASETS) convert.branch(etlJob(dataset));
  convert.catch({ errors: ['States.ALL'], next: batchFailed });
  planRun.next(catalogueRawData(convert));
  convert.next(extract).next(loadDay).next(new SucceedState('BatchSucceeded'));
  return checkRunDate;

  /** Start the raw crawler (or join the crawl already running), wait until it is done, then go on to `next`. */
  function catalogueRawData(next: State): State {
    const crawler = { Name: ph.RawCrawler };
    const start = new TaskState('StartRawCrawler', {
      comment: 'Catalogues the raw folders and partitions the delivery streams wrote since the last crawl',
      resource: integration('aws-sdk:glue:startCrawler'),
      arguments: crawler,
      output: jsonata('$states.input'),
    });
    const wait = new WaitState('WaitForRawCrawler', CRAWLER_POLL_SECONDS);
    const check = new TaskState('CheckRawCrawler', {
      resource: integration('aws-sdk:glue:getCrawler'),
      arguments: crawler,
      output: jsonata(
        "{ 'State': $states.result.Crawler.State, 'Status': $states.result.Crawler.LastCrawl.Status, 'Error': $states.result.Crawler.LastCrawl.ErrorMessage }",
      ),
    }).retry(API_RETRY);
    const failed = new FailState('RawCrawlFailed', {
      error: 'RawCrawlFailed',
      cause: concat(
        'the raw crawler ended its crawl ',
        expr('$states.input.Status'),
        ': ',
        expr('$string($states.input.Error)'),
      ),
    });
    const decide = new ChoiceState('IsRawCrawlerFinished', 'The crawler is READY again once its crawl has ended')
      .when(jsonata("$states.input.State = 'READY' and $states.input.Status = 'SUCCEEDED'"), next)
      .when(jsonata("$states.input.State = 'READY'"), failed)
      .otherwise(wait);
    // A crawl already running (started by hand, or by a run before) is waited for instead of failing the run.
    start.retry({ errors: ['Glue.CrawlerRunningException'], intervalSeconds: 1, maxAttempts: 0 }).retry(API_RETRY);
    start.catch({ errors: ['Glue.CrawlerRunningException'], next: wait, output: jsonata('$states.input') });
    start.catch({ errors: ['States.ALL'], next: batchFailed });
    start.next(wait).next(check).next(decide);
    return start;
  }

  /** Run a data set's ETL job to completion: the raw files added since its last successful run, into the lake table. */
  function etlJob(dataset: LakeDataset): State {
    return new TaskState(`Convert${dataset.stem}`, {
      comment: `Converts the new raw ${dataset.name} into the ORC ${dataset.name} table`,
      resource: integration('glue:startJobRun.sync'),
      arguments: { JobName: ph[etlJobOutput(dataset)], Arguments: etlJobArguments(dataset, ph.Database) },
    })
      .retry(ETL_BUSY_RETRY)
      .retry(ETL_RETRY);
  }

  /** Borrow write capacity, load the day's per-ad counts, give the capacity back (also when the load fails). */
  function adTrafficBranch(): State {
    const table = { TableName: ph.AdTrafficTable };
    const describe = new TaskState('DescribeAdTrafficTable', {
      resource: integration('aws-sdk:dynamodb:describeTable'),
      arguments: table,
      assign: {
        adTrafficRead: jsonata('$states.result.Table.ProvisionedThroughput.ReadCapacityUnits'),
        adTrafficWrite: jsonata('$states.result.Table.ProvisionedThroughput.WriteCapacityUnits'),
        adTrafficOnDemand: jsonata("$states.result.Table.BillingModeSummary.BillingMode = 'PAY_PER_REQUEST'"),
        adTrafficRaised: false,
        adTrafficLoadFailed: false,
      },
      output: jsonata('$states.input'),
    }).retry(API_RETRY);
    const increase = new TaskState('IncreaseAdTrafficWriteCapacity', {
      comment: `Adds ${LOAD_WRITE_CAPACITY} write capacity units for the load`,
      resource: integration('aws-sdk:dynamodb:updateTable'),
      arguments: {
        ...table,
        ProvisionedThroughput: {
          ReadCapacityUnits: jsonata('$adTrafficRead'),
          WriteCapacityUnits: jsonata(`$adTrafficWrite + ${LOAD_WRITE_CAPACITY}`),
        },
      },
      assign: { adTrafficRaised: true },
      output: jsonata('$states.input'),
    }).retry(API_RETRY);
    const wait = new WaitState('WaitForAdTrafficTable', POLL_SECONDS);
    const check = new TaskState('CheckAdTrafficTable', {
      resource: integration('aws-sdk:dynamodb:describeTable'),
      arguments: table,
      output: jsonata('$states.result.Table.TableStatus'),
    }).retry(API_RETRY);
    const load = hiveJob('LoadAdTrafficData', 'load_ad_traffic_table', {
      comment: 'Writes per-ad daily impressions and clicks into the ad traffic table',
      vars: { output1: `${ph.Database}.${AD_TRAFFIC_HIVE_TABLE}` },
      // The storage handler may use all of the table's write capacity, as the original's data node did.
      conf: { 'dynamodb.throughput.write.percent': '1.0' },
    });
    const capacityChoice = new ChoiceState('IsAdTrafficCapacityNeeded', 'An on-demand table has no capacity to raise')
      .when(jsonata('$adTrafficOnDemand'), load)
      .otherwise(increase);
    const active = new ChoiceState('IsAdTrafficTableActive')
      .when(jsonata("$states.input = 'ACTIVE'"), load)
      .otherwise(wait);
    const decrease = new TaskState('DecreaseAdTrafficWriteCapacity', {
      comment: 'Gives the borrowed write capacity back',
      resource: integration('aws-sdk:dynamodb:updateTable'),
      arguments: {
        ...table,
        ProvisionedThroughput: {
          ReadCapacityUnits: jsonata('$adTrafficRead'),
          WriteCapacityUnits: jsonata('$adTrafficWrite'),
        },
      },
      output: jsonata('$states.input'),
    }).retry(API_RETRY);
    const loaded = new SucceedState('AdTrafficLoaded');
    const loadFailed = new FailState('AdTrafficLoadFailed', {
      error: jsonata('$adTrafficLoadError.Error'),
      cause: jsonata('$adTrafficLoadError.Cause'),
    });
    const restore = new ChoiceState('IsAdTrafficCapacityRaised').when(jsonata('$adTrafficRaised'), decrease);
    const outcome = new ChoiceState('DidAdTrafficLoadSucceed')
      .when(jsonata('$adTrafficLoadFailed'), loadFailed)
      .otherwise(loaded);
    restore.otherwise(outcome);
    load.catch({
      errors: ['States.ALL'],
      next: restore,
      assign: { adTrafficLoadFailed: true, adTrafficLoadError: jsonata('$states.errorOutput') },
    });

    describe.next(capacityChoice);
    increase.next(wait).next(check).next(active);
    load.next(restore);
    decrease.next(outcome);
    return describe;
  }

  /** Nothing without a cluster; else the staged COPY loads and the Spectrum loads, side by side. */
  function redshiftBranch(): State {
    const loadRedshift = new ParallelState('LoadRedshift', { output: jsonata('$states.input') });
    for (const dataset of STAGED_DATASETS) loadRedshift.branch(copyLoad(dataset));
    loadRedshift.branch(spectrumLoads());
    return new ChoiceState('IsRedshiftConfigured', 'The stack was given a Redshift cluster and its credentials')
      .when(jsonata(`'${ph.RedshiftEnabled}' = '${REDSHIFT_ENABLED}'`), loadRedshift)
      .otherwise(new SucceedState('RedshiftNotConfigured'));
  }

  /** Stage one dataset as text in S3 (Hive), then replace the day's rows of its Redshift table with it (COPY). */
  function copyLoad(dataset: Dataset): State {
    const title = datasetTitle(dataset);
    const stage = hiveJob(`Stage${title}ForRedshift`, `stage_${dataset.table}_for_redshift`, {
      vars: { output1: `${ph.Database}.${stagingHiveTable(dataset)}` },
    });
    const column = dataset.dayColumn;
    const load = new TaskState(`Load${title}IntoRedshift`, {
      comment: `Replaces the day's rows of ${dataset.table} with the staged ones, in one transaction`,
      resource: integration('aws-sdk:redshiftdata:batchExecuteStatement'),
      arguments: {
        ...redshiftTarget,
        StatementName: `Load${title}IntoRedshift`,
        Sqls: [
          createTableIfNotExistsSql(dataset),
          concat(
            `DELETE FROM ${dataset.table} WHERE ${column} >= '`,
            RUN.dateStart,
            `' AND ${column} < '`,
            RUN.dateEnd,
            "'",
          ),
          `COPY ${dataset.table} FROM 's3://${ph.BucketName}/${stagingFolder(dataset)}' IAM_ROLE '${ph.SpectrumRoleArn}' DELIMITER ',' TIMEFORMAT 'auto'`,
        ],
      },
      output: statementId(`Load${title}IntoRedshift`),
    }).retry(API_RETRY);
    stage.next(load);
    untilFinished(load, `Load${title}IntoRedshift`);
    return stage;
  }

  /** Map the lake's catalog into Redshift, then run each Spectrum load script with the run's dates. */
  function spectrumLoads(): State {
    const useSpectrum = new TaskState('UseSpectrumDataLake', {
      comment: `Maps the lake's Glue database into Redshift as the external schema ${SPECTRUM_SCHEMA}`,
      resource: integration('aws-sdk:redshiftdata:executeStatement'),
      arguments: {
        ...redshiftTarget,
        StatementName: 'UseSpectrumDataLake',
        Sql:
          `CREATE EXTERNAL SCHEMA IF NOT EXISTS ${SPECTRUM_SCHEMA} FROM DATA CATALOG DATABASE '${ph.Database}' ` +
          `IAM_ROLE '${ph.SpectrumRoleArn}' CREATE EXTERNAL DATABASE IF NOT EXISTS`,
      },
      output: statementId('UseSpectrumDataLake'),
    }).retry(API_RETRY);

    // Step Functions cannot run a file of SQL: each script is read from S3, its `?` marks bound, and its statements run as one batch.
    const read = new TaskState('ReadSpectrumLoadScript', {
      resource: integration('aws-sdk:s3:getObject'),
      arguments: { Bucket: ph.CodeBucket, Key: jsonata('$states.input.script') },
      output: jsonata(BIND_SCRIPT),
    }).retry(API_RETRY);
    const mismatch = new FailState('SpectrumLoadScriptMismatch', {
      error: 'ScriptArgumentsMismatch',
      cause: concat(
        '',
        expr('$states.input.name'),
        ': the script has ',
        expr('$states.input.marks'),
        ' ? marks but is given ',
        expr('$states.input.arguments'),
        ' arguments',
      ),
    });
    const run = new TaskState('RunSpectrumLoad', {
      resource: integration('aws-sdk:redshiftdata:batchExecuteStatement'),
      arguments: {
        ...redshiftTarget,
        StatementName: jsonata('$states.input.name'),
        Sqls: jsonata('$states.input.sqls'),
      },
      output: statementId(expr('$states.input.name')),
    }).retry(API_RETRY);
    const matches = new ChoiceState('DoesSpectrumLoadScriptMatch')
      .when(jsonata('$states.input.marks != $states.input.arguments'), mismatch)
      .otherwise(run);
    read.next(matches);
    untilFinished(run, 'SpectrumLoad');

    const items: JsonValue[] = SPECTRUM_LOADS.map((load) => ({
      name: load.name,
      script: `${ph.CodePrefix}/${code.path(`jobs/redshift/${load.script}.sql`)}`,
      arguments: [...load.arguments],
    }));
    const loads = new MapState('SpectrumLoads', { items, processor: read, output: jsonata('$states.input') });
    untilFinished(useSpectrum, 'UseSpectrumDataLake').next(loads);
    return useSpectrum;
  }
}

/** The state machine definition, in ASL. */
export function batchDefinition(ph: Placeholders, code: CodeAssets): Record<string, unknown> {
  return stateMachineDefinition(batchWorkflow(ph, code), {
    comment:
      'Dataless daily batch: raw crawl, lake ETL, advertising extract, ad traffic load and the optional Redshift loads',
    timeoutSeconds: MACHINE_TIMEOUT_SECONDS,
  });
}

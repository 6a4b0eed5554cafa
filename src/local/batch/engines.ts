// Which local engine runs a Task state, by its resource:
//
//   emr-serverless:startJobRun(.sync) with a Hive driver  Hive script on Spark SQL
//   glue:startJobRun(.sync)                               the Glue job's transform on local Spark
//   aws-sdk:glue:startCrawler / getCrawler                the crawler's cataloguing, on local Spark
//   aws-sdk:<service>:<action> for DynamoDB and S3        the same call to the AWS stand-in
//   aws-sdk:redshiftdata:*                                none: Redshift has no local engine
//
// Each job's script and variables come from the Task's Arguments and from the
// job or crawler the templates declare under the name the Task gives.
import { LocalError } from '../../errors';
import type { SparkSteps, StepAnswer } from '../python';
import { asText, at, isJson, listAt, objectAt, textAt, type Json } from '../json';
import { localCodePath, type Warehouse } from '../template/warehouse';

/** A resource with no local engine, and why; such states are listed as skipped. */
export function noLocalEngine(resource: string): string | undefined {
  if (/^arn:aws:states:::aws-sdk:redshift(data)?:/.test(resource) || /^arn:aws:states:::redshift/.test(resource))
    return 'Redshift has no local engine';
  return undefined;
}

/** What a step did, for the progress line. */
export interface StepReport {
  readonly engine: string;
  readonly answer?: StepAnswer;
}

/** Runs Task states locally. */
export class LocalEngines {
  private readonly crawled = new Set<string>();

  constructor(
    private readonly warehouse: Warehouse,
    private readonly spark: () => Promise<SparkSteps>,
    /** Sends an aws-sdk integration's call to the stand-in. */
    private readonly sdk: (service: string, action: string, args: Json) => Promise<unknown>,
  ) {}

  /** Runs one Task; returns the result the state machine sees and what to report. */
  async run(name: string, resource: string, args: Json): Promise<{ result: unknown; report: StepReport }> {
    const skipped = noLocalEngine(resource);
    if (skipped) throw new LocalError(`${name} (${resource}) cannot run locally: ${skipped}`, 'LOCAL_NO_ENGINE');

    if (/^arn:aws:states:::emr-serverless:startJobRun(\.sync)?$/.test(resource)) {
      const hive = at(args, 'JobDriver', 'Hive');
      if (!isJson(hive)) throw new LocalError(`${name}: only Hive job drivers run locally`, 'LOCAL_NO_ENGINE');
      const script = this.code(name, hive.Query);
      const answer = await this.step(name, {
        op: 'hive',
        script,
        variables: hiveVariables(textAt(hive, 'Parameters') ?? ''),
      });
      return {
        result: { JobRunId: `local-${name}`, State: 'SUCCESS' },
        report: { engine: 'Hive on Spark SQL', answer },
      };
    }

    if (/^arn:aws:states:::glue:startJobRun(\.sync)?$/.test(resource)) {
      const job = this.glueJob(name, asText(args.JobName));
      const answer = await this.step(name, {
        op: 'glue',
        ...job,
        arguments: { ...job.arguments, ...objectAt(args, 'Arguments') },
      });
      return {
        result: { JobName: args.JobName, JobRunState: 'SUCCEEDED' },
        report: { engine: 'Glue ETL on local Spark', answer },
      };
    }

    if (resource === 'arn:aws:states:::aws-sdk:glue:startCrawler') {
      const crawler = this.crawler(name, asText(args.Name));
      const answer = await this.step(name, { op: 'crawl', crawler });
      this.crawled.add(asText(args.Name));
      return { result: {}, report: { engine: 'Glue crawler on local Spark', answer } };
    }
    if (resource === 'arn:aws:states:::aws-sdk:glue:getCrawler') {
      // The local crawl ran to completion inside startCrawler.
      const ran = this.crawled.has(asText(args.Name));
      return {
        result: {
          Crawler: { Name: args.Name, State: 'READY', ...(ran ? { LastCrawl: { Status: 'SUCCEEDED' } } : {}) },
        },
        report: { engine: 'Glue crawler state' },
      };
    }

    const sdk = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(resource);
    if (sdk)
      return {
        result: await this.sdk(sdk[1]!, sdk[2]!, args),
        report: { engine: `${sdk[1]}:${sdk[2]} on the AWS stand-in` },
      };

    throw new LocalError(
      `${name}: no local engine runs ${resource}; teach src/local/batch/engines.ts to run it`,
      'LOCAL_NO_ENGINE',
    );
  }

  private async step(name: string, step: Json): Promise<StepAnswer> {
    const answer = await (await this.spark()).send(step);
    if (!answer.ok) throw new LocalError(`${name} failed: ${answer.error}`, 'LOCAL_STEP_FAILED');
    return answer;
  }

  /** The repository file a job location in the code bucket stands for. */
  private code(name: string, location: unknown): string {
    const path = localCodePath(this.warehouse.root.root, asText(location));
    if (!path)
      throw new LocalError(
        `${name}: ${asText(location)} is not in the code bucket the templates were given; the local run reads job code from the repository`,
        'LOCAL_NO_ENGINE',
      );
    return path;
  }

  private glueJob(
    name: string,
    jobName: string,
  ): { job: string; script: string; extraPyFiles: string[]; arguments: Json } {
    const found = this.warehouse.each('AWS::Glue::Job').find(({ stack, id }) => stack.physicalName(id) === jobName);
    if (!found) throw new LocalError(`${name}: the templates declare no Glue job named ${jobName}`, 'LOCAL_TEMPLATE');
    const { stack, id, resource } = found;
    const properties = objectAt(stack.resolve(resource.Properties ?? {}));
    const defaults = objectAt(properties, 'DefaultArguments');
    const language = textAt(defaults, '--job-language');
    if (language !== undefined && language !== 'python') {
      throw new LocalError(
        `${name}: Glue job ${id} is ${language}; the local batch runs the Python jobs`,
        'LOCAL_NO_ENGINE',
      );
    }
    const extra = (textAt(defaults, '--extra-py-files') ?? '')
      .split(',')
      .filter(Boolean)
      .map((location) => this.code(name, location));
    return {
      job: jobName,
      script: this.code(name, at(properties, 'Command', 'ScriptLocation')),
      extraPyFiles: extra,
      arguments: defaults,
    };
  }

  private crawler(name: string, crawlerName: string): Json {
    const found = this.warehouse
      .each('AWS::Glue::Crawler')
      .find(({ stack, id }) => stack.physicalName(id) === crawlerName);
    if (!found)
      throw new LocalError(`${name}: the templates declare no crawler named ${crawlerName}`, 'LOCAL_TEMPLATE');
    const properties = objectAt(found.stack.resolve(found.resource.Properties ?? {}));
    return {
      database: textAt(properties, 'DatabaseName'),
      tablePrefix: textAt(properties, 'TablePrefix') ?? '',
      targets: listAt(properties, 'Targets', 'S3Targets').map((target) => asText(at(target, 'Path'))),
    };
  }
}

/** `--hivevar NAME=value` and `--hiveconf name=value` pairs of a Hive job's Parameters, as script variables. */
export function hiveVariables(parameters: string): Record<string, string> {
  const variables: Record<string, string> = {};
  const words = parameters.trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    if (
      (words[i] === '--hivevar' || words[i] === '--hiveconf' || words[i] === '-d' || words[i] === '--define') &&
      words[i + 1]
    ) {
      const pair = words[++i]!;
      const eq = pair.indexOf('=');
      if (eq > 0) variables[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return variables;
}

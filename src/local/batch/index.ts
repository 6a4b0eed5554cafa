// `dataless local batch`: the default batch engine's state machine, read from
// the generated templates and run against the running `local up` — the same
// states in the same order with the same variables, each Task on a local
// engine (engines.ts). First the stand-in's delivery streams are delivered as
// Firehose would (delivery.ts).
import { mkdirSync, mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { DatalessError, LocalError } from '../../errors';
import type { IO } from '../../io';
import { loadConfig } from '../../config/load';
import { deliver } from '../delivery';
import { motoClientSettings, motoEnvironment } from '../moto';
import { SparkSteps } from '../python';
import { LOCAL_DIR, requireRunning } from '../state';
import { Warehouse } from '../template/warehouse';
import { LocalEngines, noLocalEngine, type StepReport } from './engines';
import { StateError, runStateMachine, taskStates, type RunContext } from './machine';
import { at, isJson, textAt, type Json } from '../json';

/** Options of `local batch`. */
export interface BatchOptions {
  /** The repository root. */
  readonly root: string;
  /** The day to process, YYYY-MM-DD; the state machine's own default (the day before the run, UTC) when left out. */
  readonly date?: string;
}

/** One step that ran. */
export interface StepResult {
  readonly name: string;
  readonly engine: string;
  readonly seconds: number;
  readonly in?: string;
  readonly out?: string;
  readonly note?: string;
}

/** What a batch run did. */
export interface BatchResult {
  readonly day: string;
  readonly steps: readonly StepResult[];
  readonly skipped: ReadonlyArray<{ name: string; reason: string }>;
  /** The rows the steps wrote, all told; 0 for a day with no data. */
  readonly rowsWritten: number;
  /** Local Spark's start-up, apart from the steps. */
  readonly sparkStartSeconds: number;
  readonly seconds: number;
  /** The step the batch stopped at, when it failed (the steps before it are listed). @default none: it finished */
  readonly stoppedAt?: string;
}

/**
 * Runs the batch for a day against the running local warehouse and returns what each step did; progress goes to
 * stderr. A failure that comes after some steps ran carries what they did (withResult).
 */
export async function batch(options: BatchOptions, io: IO): Promise<BatchResult> {
  const { root } = options;
  const started = Date.now();
  const state = requireRunning(root);
  const warehouse = Warehouse.open(root, loadConfig(root, state.branch).parameters, state.region);
  const machines = warehouse.stateMachines();
  if (machines.length !== 1) {
    throw new LocalError(
      `the templates hold ${machines.length} state machines under the configured batch engine; the local batch runs the step-functions engine's one`,
      'LOCAL_STATE_MACHINE',
    );
  }
  const { definition } = machines[0]!;
  const settings = motoClientSettings(state.endpoint, state.region);
  const s3 = io.aws.s3(settings);
  const dynamodb = io.aws.dynamoDB(settings);
  const logs = join(root, LOCAL_DIR, 'logs');
  mkdirSync(logs, { recursive: true });
  const scratchParent = join(root, LOCAL_DIR, 'batch');
  mkdirSync(scratchParent, { recursive: true });
  const scratch = mkdtempSync(join(scratchParent, 'run-'));
  const sparkLog = createWriteStream(join(logs, 'batch.log'), { flags: 'a' });
  let spark: SparkSteps | undefined;
  const steps: StepResult[] = [];
  try {
    for (const delivered of await deliver(warehouse.deliveryStreams(), s3)) {
      io.err(
        `delivery: ${delivered.stream}: ${delivered.objectsIn} stand-in objects delivered as ${delivered.objectsOut} (${delivered.bytes} bytes)\n`,
      );
    }

    // Spark starts on the first step that needs it; its start-up is reported apart from that step.
    let startup = 0;
    const sparkSteps = async (): Promise<SparkSteps> => {
      if (spark) return spark;
      const begun = Date.now();
      io.err('batch: starting local Spark (its log: .dataless/local/logs/batch.log)\n');
      spark = new SparkSteps(root, scratch, { ...io.env, ...motoEnvironment(state.endpoint, state.region) }, (text) =>
        sparkLog.write(text),
      );
      const answer = await spark.send({ op: 'start', buckets: warehouse.buckets() });
      if (!answer.ok) throw new LocalError(`local Spark did not start: ${answer.error}`, 'LOCAL_SPARK');
      startup = (Date.now() - begun) / 1000;
      io.err(`batch: local Spark started in ${startup.toFixed(1)}s (the stand-in's buckets mirrored)\n`);
      return spark;
    };
    const engines = new LocalEngines(warehouse, sparkSteps, (service, action, args) =>
      callStandIn(service, action, args, s3, dynamodb),
    );

    const input = options.date ? { date: options.date } : {};
    const context: RunContext = {
      values: {
        Execution: {
          Id: `local:${new Date(started).toISOString()}`,
          Name: 'local',
          StartTime: new Date(started).toISOString(),
          Input: input,
        },
        StateMachine: { Id: machines[0]!.logicalId, Name: machines[0]!.logicalId },
      },
    };
    const run = async (name: string, resource: string, args: unknown): Promise<unknown> => {
      io.err(`batch: step ${name}\n`);
      const begun = Date.now();
      const before = startup;
      const { result, report } = await engines.run(name, resource, isJson(args) ? args : {});
      const step = describe(name, report, (Date.now() - begun) / 1000 - (startup - before));
      steps.push(step);
      return result;
    };

    const rowsWritten = () =>
      steps
        .filter((step) => /rows$/.test(step.out ?? ''))
        .reduce((sum, step) => sum + Number.parseInt(step.out!, 10), 0);
    let variables: Json;
    try {
      ({ variables } = await runStateMachine(definition, input, run, context));
    } catch (error) {
      // What ran before the failure is shown before the error, as the steps' lines always were.
      const sofar = (stoppedAt: string): BatchResult => ({
        day: options.date ?? 'the scheduled day',
        steps,
        skipped: [],
        rowsWritten: rowsWritten(),
        sparkStartSeconds: startup,
        seconds: (Date.now() - started) / 1000,
        stoppedAt,
      });
      if (error instanceof StateError) {
        const failed = context.failedState ?? error.state;
        throw new LocalError(
          `the batch stopped at step ${failed}: ${error.error}: ${error.cause}`,
          'LOCAL_BATCH_FAILED',
        ).withResult(sofar(failed));
      }
      if (error instanceof DatalessError && error.result === undefined && steps.length > 0)
        error.withResult(sofar(steps[steps.length - 1]!.name));
      throw error;
    }

    const ran = new Set(steps.map((step) => step.name));
    const skipped = taskStates(definition)
      .filter((task) => !ran.has(task.name))
      .map((task) => ({
        name: task.name,
        reason: noLocalEngine(task.resource) ?? 'not on the path this run took (a Choice state chose another branch)',
      }));

    const day = textAt(variables, 'run', 'dateStart') ?? options.date ?? 'the scheduled day';
    const seconds = (Date.now() - started) / 1000;
    return { day, steps, skipped, rowsWritten: rowsWritten(), sparkStartSeconds: startup, seconds };
  } finally {
    const running = spark as SparkSteps | undefined;
    if (running) await running.stop();
    sparkLog.end();
    s3.destroy();
    dynamodb.destroy();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function describe(name: string, report: StepReport, seconds: number): StepResult {
  return {
    name,
    engine: report.engine,
    seconds,
    in: report.answer?.in,
    out: report.answer?.out,
    note: report.answer?.note,
  };
}

/**
 * The text form of a batch run: a line per step that ran, one per step skipped with the reason, and how it ended;
 * a run that stopped at a step ends with its last step (the error says why).
 */
export function formatBatch(result: BatchResult): string {
  const lines = [...result.steps.map(line), ...result.skipped.map(({ name, reason }) => `skipped ${name}: ${reason}`)];
  const seconds = result.seconds.toFixed(1);
  if (result.stoppedAt === undefined)
    lines.push(
      result.rowsWritten === 0
        ? `batch for ${result.day}: no data for the day; the steps succeeded and wrote nothing (${seconds}s)`
        : `batch for ${result.day}: done in ${seconds}s`,
    );
  return lines.map((text) => `${text}\n`).join('');
}

function line(step: StepResult): string {
  const rows = step.in !== undefined ? `, in ${step.in}, out ${step.out}` : '';
  return `step ${step.name} (${step.engine})${rows}, ${step.seconds.toFixed(1)}s${step.note ? ` — ${step.note}` : ''}`;
}

/** An aws-sdk service integration's call, sent to the stand-in with the same SDK command. */
async function callStandIn(
  service: string,
  action: string,
  args: Json,
  s3: S3Client,
  dynamodb: DynamoDBClient,
): Promise<unknown> {
  const clients: Record<string, { module: string; client: { send(command: unknown): Promise<unknown> } }> = {
    dynamodb: { module: '@aws-sdk/client-dynamodb', client: dynamodb },
    s3: { module: '@aws-sdk/client-s3', client: s3 },
  };
  const target = clients[service];
  if (!target)
    throw new LocalError(
      `aws-sdk:${service}:${action} has no local engine (the local batch calls DynamoDB and S3 on the stand-in)`,
      'LOCAL_NO_ENGINE',
    );
  const commands = require(target.module) as Record<string, new (input: unknown) => unknown>;
  const Command = commands[`${action[0]!.toUpperCase()}${action.slice(1)}Command`];
  if (!Command)
    throw new LocalError(`aws-sdk:${service}:${action} is not an action of ${target.module}`, 'LOCAL_NO_ENGINE');
  const { $metadata: _, ...result } = (await target.client.send(new Command(args))) as Record<string, unknown>;
  // Step Functions hands an S3 object's body over as text.
  const body = at(result, 'Body') as { transformToString?: () => Promise<string> } | undefined;
  if (service === 's3' && typeof body?.transformToString === 'function') result.Body = await body.transformToString();
  return result;
}

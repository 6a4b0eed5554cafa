// `dataless local batch`: the default batch engine's state machine, read from
// the generated templates and run against the running `local up` — the same
// states in the same order with the same variables, each Task on a local
// engine (engines.ts). First the stand-in's delivery streams are delivered as
// Firehose would (delivery.ts).
import { mkdirSync, mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { LocalError } from '../../errors';
import type { IO } from '../../io';
import { loadConfig } from '../../config/load';
import { s3Client, dynamoDBClient, type ClientSettings } from '../../aws/clients';
import { deliver } from '../delivery';
import { motoEnvironment } from '../moto';
import { SparkSteps } from '../python';
import { LOCAL_DIR, requireRunning } from '../state';
import { Warehouse } from '../template/warehouse';
import { STAND_IN_CREDENTIALS } from '../up';
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
  /** Local Spark's start-up, apart from the steps. */
  readonly sparkStartSeconds: number;
  readonly seconds: number;
}

/** Runs the batch for a day against the running local warehouse. */
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
  const settings: ClientSettings = {
    endpoint: state.endpoint,
    region: state.region,
    credentials: STAND_IN_CREDENTIALS,
  };

  const s3 = s3Client(settings);
  const dynamodb = dynamoDBClient(settings);
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
      spark = new SparkSteps(
        root,
        scratch,
        { ...io.env, ...motoEnvironment(state.endpoint), AWS_REGION: state.region, AWS_DEFAULT_REGION: state.region },
        (text) => sparkLog.write(text),
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
      const begun = Date.now();
      const before = startup;
      const { result, report } = await engines.run(name, resource, isJson(args) ? args : {});
      const step = describe(name, report, (Date.now() - begun) / 1000 - (startup - before));
      steps.push(step);
      io.out(line(step));
      return result;
    };

    let variables: Json;
    try {
      ({ variables } = await runStateMachine(definition, input, run, context));
    } catch (error) {
      if (error instanceof StateError) {
        const failed = context.failedState ?? error.state;
        throw new LocalError(
          `the batch stopped at step ${failed}: ${error.error}: ${error.cause}`,
          'LOCAL_BATCH_FAILED',
        );
      }
      throw error;
    }

    const ran = new Set(steps.map((step) => step.name));
    const skipped = taskStates(definition)
      .filter((task) => !ran.has(task.name))
      .map((task) => ({
        name: task.name,
        reason: noLocalEngine(task.resource) ?? 'not on the path this run took (a Choice state chose another branch)',
      }));
    for (const { name, reason } of skipped) io.out(`skipped ${name}: ${reason}\n`);

    const day = textAt(variables, 'run', 'dateStart') ?? options.date ?? 'the scheduled day';
    const written = steps
      .filter((step) => /rows$/.test(step.out ?? ''))
      .reduce((sum, step) => sum + Number.parseInt(step.out!, 10), 0);
    const seconds = (Date.now() - started) / 1000;
    if (written === 0)
      io.out(`batch for ${day}: no data for the day; the steps succeeded and wrote nothing (${seconds.toFixed(1)}s)\n`);
    else io.out(`batch for ${day}: done in ${seconds.toFixed(1)}s\n`);
    return { day, steps, skipped, sparkStartSeconds: startup, seconds };
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

function line(step: StepResult): string {
  const rows = step.in !== undefined ? `, in ${step.in}, out ${step.out}` : '';
  return `step ${step.name} (${step.engine})${rows}, ${step.seconds.toFixed(1)}s${step.note ? ` — ${step.note}` : ''}\n`;
}

/** An aws-sdk service integration's call, sent to the stand-in with the same SDK command. */
async function callStandIn(
  service: string,
  action: string,
  args: Json,
  s3: ReturnType<typeof s3Client>,
  dynamodb: ReturnType<typeof dynamoDBClient>,
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

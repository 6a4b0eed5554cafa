// `dataless status`: the build pipeline of the bootstrap stack (each stage,
// the latest run, the failing action's message), the application stack the
// pipeline deploys, `<bootstrap stack>-<branch>`, and how that deployment is
// doing: the batch's last successful run and the alarms in ALARM. With
// `follow`, an operation in progress on the stack is followed to its end like
// deploy.
import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { AbortError, DeploymentError, UsageError } from '../errors';
import type { IO } from '../io';
import { interruptOnSigint } from '../interrupt';
import { resolveRegion, type AwsClients } from './clients';
import { describeStack, isInProgress, isSuccess, outputsOf } from './deploy/changeset';
import { StackEventFollower, followStack, rootCause } from './deploy/events';
import { appStackName, DEFAULT_BOOTSTRAP_STACK } from './deploy/index';
import { describeFailure, EventView } from './deploy/render';
import { palette } from '../palette';
import { awsError, isMissingStack } from './errors';
import {
  alarmsReport,
  batchReport,
  stackResources,
  type AlarmsReport,
  type BatchReport,
  type BatchRun,
} from './operations';
import { BOOTSTRAP_IDS } from '../stacks/build';

/** Options of `dataless status`. */
export interface StatusOptions {
  /** The bootstrap stack that holds the pipeline. @default 'dataless' */
  readonly bootstrapStack?: string;
  /** The application stack to report. @default `<bootstrapStack>-<branch>` */
  readonly stackName?: string;
  /** The branch, for the default stack name. @default the bootstrap stack's Branch parameter */
  readonly branch?: string;
  /** Follow an operation in progress on the stack until it ends. @default false */
  readonly follow?: boolean;
  /** Stops following. @default Ctrl-C */
  readonly signal?: AbortSignal;
  /** Time between event polls when following, in milliseconds. @default 3000 */
  readonly pollIntervalMs?: number;
}

/** One action of a pipeline stage. */
export interface ActionReport {
  readonly name: string;
  readonly status?: string;
  readonly summary?: string;
  /** The error message of a failed action. */
  readonly error?: string;
  readonly lastStatusChange?: string;
  /** A link to the build or deployment behind the action. */
  readonly url?: string;
}

/** One pipeline stage. */
export interface StageReport {
  readonly name: string;
  readonly status?: string;
  readonly executionId?: string;
  readonly actions: readonly ActionReport[];
}

/** The pipeline's state. */
export interface PipelineReport {
  readonly name: string;
  readonly latestExecution?: {
    readonly id?: string;
    readonly status?: string;
    readonly startTime?: string;
    readonly lastUpdateTime?: string;
    readonly revision?: string;
    readonly revisionSummary?: string;
  };
  readonly stages: readonly StageReport[];
}

/** The application stack's state. */
export interface StackReport {
  readonly name: string;
  readonly exists: boolean;
  readonly status?: string;
  readonly reason?: string;
  readonly lastUpdated?: string;
  readonly outputs: Readonly<Record<string, string>>;
}

/** What `dataless status` found. */
export interface StatusResult {
  readonly region: string;
  readonly bootstrapStack: string;
  readonly branch?: string;
  /** The pipeline, or why there is none to report. */
  readonly pipeline: PipelineReport | { readonly missing: string };
  readonly stack: StackReport;
  /** The batch state machine and its runs, or why there is none; absent when the stack does not exist. */
  readonly batch?: BatchReport | { readonly missing: string };
  /** The stack's alarms in ALARM; absent when the stack does not exist. */
  readonly alarms?: AlarmsReport;
  /** True when an operation in progress was followed to its end (`follow`); `stack` is then as it ended. */
  readonly followed?: true;
}

/**
 * Reads the pipeline, the application stack, the batch's runs and the alarms,
 * and returns them. With `follow`, an operation in progress is followed to its
 * end first: the report as found and the events go to stderr, and a failed
 * operation fails with STACK_FAILED.
 */
export async function status(options: StatusOptions, io: IO): Promise<StatusResult> {
  const bootstrapStack = options.bootstrapStack ?? DEFAULT_BOOTSTRAP_STACK;
  const region = await resolveRegion({}, io.aws);
  const cfn = io.aws.cloudFormation({ region });
  const pipelines = io.aws.codePipeline({ region });
  try {
    const build = await describeStack(cfn, bootstrapStack);
    const branch = options.branch ?? build?.Parameters?.find((p) => p.ParameterKey === 'Branch')?.ParameterValue;
    const stackName = options.stackName ?? (branch ? appStackName(branch, bootstrapStack) : undefined);
    if (!stackName) {
      throw new UsageError(
        `name the stack with --stack-name or the branch with --branch: there is no bootstrap stack ${bootstrapStack} in ${region} to take the branch from`,
      );
    }
    const pipeline = build
      ? await pipelineReport(cfn, pipelines, bootstrapStack)
      : { missing: `no bootstrap stack ${bootstrapStack} in ${region} (create it with \`dataless bootstrap\`)` };
    let stack = await describeStack(cfn, stackName);
    const followed = Boolean(options.follow && stack && isInProgress(stack.StackStatus));
    if (followed) {
      // What there is to see before the events: progress, like them.
      io.err(
        formatStatus(
          { region, bootstrapStack, branch, pipeline, stack: stackReport(stackName, stack) },
          { color: io.color },
        ),
      );
      stack = await follow(cfn, stack!, stackName, options, io);
    }
    return {
      region,
      bootstrapStack,
      branch,
      pipeline,
      stack: stackReport(stackName, stack),
      // A stack that --follow saw deleted has nothing left to report on.
      ...(stack && stack.StackStatus !== 'DELETE_COMPLETE'
        ? await operations(io.aws, cfn, stack.StackId ?? stackName, region)
        : {}),
      ...(followed ? { followed: true as const } : {}),
    };
  } finally {
    cfn.destroy();
    pipelines.destroy();
  }
}

/** The batch's runs and the alarms in ALARM, both found through the stack's resources. */
async function operations(
  aws: AwsClients,
  cfn: CloudFormationClient,
  stack: string,
  region: string,
): Promise<Pick<StatusResult, 'batch' | 'alarms'>> {
  const resources = await stackResources(cfn, stack);
  const sfn = aws.stepFunctions({ region });
  const cloudWatch = aws.cloudWatch({ region });
  try {
    const [batch, alarms] = await Promise.all([batchReport(sfn, resources), alarmsReport(cloudWatch, resources)]);
    return {
      batch: batch ?? {
        missing: 'the stack has no batch state machine (BatchEngine data-pipeline, or not deployed yet)',
      },
      alarms,
    };
  } finally {
    sfn.destroy();
    cloudWatch.destroy();
  }
}

async function pipelineReport(
  cfn: CloudFormationClient,
  pipelines: CodePipelineClient,
  bootstrapStack: string,
): Promise<PipelineReport | { missing: string }> {
  const { DescribeStackResourceCommand } = await import('@aws-sdk/client-cloudformation');
  const { GetPipelineStateCommand, ListPipelineExecutionsCommand } = await import('@aws-sdk/client-codepipeline');
  let name: string | undefined;
  try {
    name = (
      await cfn.send(
        new DescribeStackResourceCommand({ StackName: bootstrapStack, LogicalResourceId: BOOTSTRAP_IDS.pipeline }),
      )
    ).StackResourceDetail?.PhysicalResourceId;
  } catch (error) {
    if (!isMissingStack(error)) throw awsError(`finding the pipeline of stack ${bootstrapStack}`, error);
  }
  if (!name) return { missing: `stack ${bootstrapStack} has no ${BOOTSTRAP_IDS.pipeline} resource (yet)` };
  try {
    const state = await pipelines.send(new GetPipelineStateCommand({ name }));
    const latest = (await pipelines.send(new ListPipelineExecutionsCommand({ pipelineName: name, maxResults: 1 })))
      .pipelineExecutionSummaries?.[0];
    const revision = latest?.sourceRevisions?.[0];
    return {
      name,
      latestExecution: latest
        ? {
            id: latest.pipelineExecutionId,
            status: latest.status,
            startTime: latest.startTime?.toISOString(),
            lastUpdateTime: latest.lastUpdateTime?.toISOString(),
            revision: revision?.revisionId,
            revisionSummary: revision?.revisionSummary,
          }
        : undefined,
      stages: (state.stageStates ?? []).map((stage) => ({
        name: stage.stageName ?? '?',
        status: stage.latestExecution?.status,
        executionId: stage.latestExecution?.pipelineExecutionId,
        actions: (stage.actionStates ?? []).map((action) => ({
          name: action.actionName ?? '?',
          status: action.latestExecution?.status,
          summary: action.latestExecution?.summary,
          error: action.latestExecution?.errorDetails?.message,
          lastStatusChange: action.latestExecution?.lastStatusChange?.toISOString(),
          url: action.latestExecution?.externalExecutionUrl,
        })),
      })),
    };
  } catch (error) {
    if ((error as { name?: string }).name === 'PipelineNotFoundException')
      return { missing: `pipeline ${name} of stack ${bootstrapStack} does not exist` };
    throw awsError(`reading the state of pipeline ${name}`, error);
  }
}

function stackReport(name: string, stack: Stack | undefined): StackReport {
  if (!stack) return { name, exists: false, outputs: {} };
  return {
    name,
    exists: true,
    status: stack.StackStatus,
    reason: stack.StackStatusReason,
    lastUpdated: (stack.LastUpdatedTime ?? stack.CreationTime)?.toISOString(),
    outputs: outputsOf(stack),
  };
}

async function follow(
  cfn: CloudFormationClient,
  stack: Stack,
  stackName: string,
  options: StatusOptions,
  io: IO,
): Promise<Stack> {
  const follower = new StackEventFollower(cfn, stack.StackId ?? stackName);
  await follower.startAtCurrentOperation();
  const view = new EventView(io, stackName);
  const interrupt = interruptOnSigint(options.signal);
  try {
    const result = await followStack(cfn, follower, {
      stackName,
      intervalMs: options.pollIntervalMs,
      signal: interrupt.signal,
      // Following starts mid-operation: its end is the first settled status.
      before: { status: stack.StackStatus, lastUpdated: stack.LastUpdatedTime },
      onEvents: (events) => view.events(events),
      onStack: (s) => view.stack(s),
    });
    if (result.interrupted)
      throw new AbortError(
        `stopped following stack ${stackName}; the operation goes on in CloudFormation`,
        'INTERRUPTED',
      );
    const status = result.stack.StackStatus;
    if (!isSuccess(status) && status !== 'DELETE_COMPLETE') {
      const cause = rootCause(result.events);
      throw new DeploymentError(
        `stack ${stackName} ended in ${status}; ${cause ? `first failure: ${describeFailure(cause)}` : `reason: ${result.stack.StackStatusReason ?? 'none given'}`}`,
        { code: 'STACK_FAILED' },
      );
    }
    return result.stack;
  } finally {
    view.close();
    interrupt.dispose();
  }
}

/**
 * The text form of a status result: the pipeline's stages and actions, the stack, the batch and the alarms; after
 * `follow`, only the status the stack ended in (the rest was shown on stderr before the events).
 */
export function formatStatus(result: StatusResult, options: { readonly color?: boolean } = {}): string {
  if (result.followed) return `stack ${result.stack.name}: ${result.stack.status}\n`;
  const p = palette(Boolean(options.color));
  const paint = (s: string | undefined) => {
    const text = s ?? '-';
    if (/fail|rollback|stopped|abandoned/i.test(text)) return p.red(text);
    if (/succeeded|complete/i.test(text)) return p.green(text);
    if (/progress|pending|stopping/i.test(text)) return p.yellow(text);
    return text;
  };
  const lines: string[] = [];
  if ('missing' in result.pipeline) {
    lines.push(`pipeline: none: ${result.pipeline.missing}`);
  } else {
    const pl = result.pipeline;
    lines.push(
      `pipeline ${pl.name} (stack ${result.bootstrapStack}${result.branch ? `, branch ${result.branch}` : ''})`,
    );
    const e = pl.latestExecution;
    if (e) {
      const revision = e.revision
        ? `, revision ${e.revision.slice(0, 12)}${e.revisionSummary ? ` ${JSON.stringify(firstLine(e.revisionSummary))}` : ''}`
        : '';
      lines.push(
        `  latest run ${e.id ?? '?'}: ${paint(e.status)}${e.startTime ? `, started ${e.startTime}` : ''}${revision}`,
      );
    } else {
      lines.push('  no runs yet');
    }
    const width = Math.max(0, ...pl.stages.map((s) => s.name.length));
    for (const stage of pl.stages) {
      lines.push(`  ${stage.name.padEnd(width)}  ${paint(stage.status)}`);
      const actionWidth = Math.max(0, ...stage.actions.map((a) => a.name.length));
      for (const action of stage.actions) {
        const detail = action.error ? `: ${action.error}` : action.summary ? `: ${firstLine(action.summary)}` : '';
        lines.push(`    ${action.name.padEnd(actionWidth)}  ${paint(action.status)}${detail}`);
      }
    }
  }
  const s = result.stack;
  if (!s.exists) lines.push(`stack ${s.name}: does not exist in ${result.region}`);
  else
    lines.push(
      `stack ${s.name}: ${paint(s.status)}${s.lastUpdated ? ` (last change ${s.lastUpdated})` : ''}${s.reason && !isSuccess(s.status) ? `: ${s.reason}` : ''}`,
    );
  if (result.batch) {
    if ('missing' in result.batch) {
      lines.push(`batch: none: ${result.batch.missing}`);
    } else {
      lines.push(`batch ${result.batch.stateMachine}`);
      const success = result.batch.lastSuccess;
      lines.push(success ? `  last success: ${describeRun(success)}` : `  last success: ${p.red('none yet')}`);
      if (result.batch.latest)
        lines.push(`  latest run: ${paint(result.batch.latest.status)} ${describeRun(result.batch.latest)}`);
    }
  }
  if (result.alarms) {
    const { watched, firing } = result.alarms;
    if (watched === 0) lines.push('alarms: the stack has none');
    else
      lines.push(
        `alarms: ${firing.length === 0 ? p.green('none') : p.red(String(firing.length))} of ${watched} in ALARM`,
      );
    const width = Math.max(0, ...firing.map((a) => a.logicalId.length));
    for (const alarm of firing) {
      lines.push(
        `  ${alarm.logicalId.padEnd(width)}  ${alarm.since ? `since ${alarm.since}` : ''}${alarm.reason ? `: ${firstLine(alarm.reason)}` : ''}`.trimEnd(),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A run: the day it processed, when it ended (or started) and how long it took. */
function describeRun(run: BatchRun): string {
  const parts = [`day ${run.day ?? '?'}`];
  if (run.stoppedAt) parts.push(`ended ${run.stoppedAt}`);
  else if (run.startedAt) parts.push(`started ${run.startedAt}`);
  if (run.durationSeconds !== undefined) parts.push(`took ${duration(run.durationSeconds)}`);
  return `${parts.join(', ')} (run ${run.name})`;
}

/** Seconds as `1h 02m 05s`, `3m 07s` or `42s`. */
function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

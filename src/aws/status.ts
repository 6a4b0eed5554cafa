// `dataless status`: the build pipeline of the bootstrap stack (each stage,
// the latest run, the failing action's message) and the application stack
// the pipeline deploys, `<bootstrap stack>-<branch>`. With `follow`, an
// operation in progress on that stack is followed to its end like deploy.
import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { AbortError, DeploymentError, UsageError } from '../errors';
import type { IO } from '../io';
import { interruptOnSigint } from '../interrupt';
import { cloudFormationClient, codePipelineClient, resolveRegion } from './clients';
import { describeStack, isInProgress, isSuccess, outputsOf } from './deploy/changeset';
import { StackEventFollower, followStack, rootCause } from './deploy/events';
import { appStackName, DEFAULT_BOOTSTRAP_STACK } from './deploy/index';
import { describeFailure, EventView } from './deploy/render';
import { palette } from '../palette';
import { awsError, isMissingStack } from './errors';
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
  /** Print the result as JSON instead of text. @default false */
  readonly json?: boolean;
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
}

export async function status(options: StatusOptions, io: IO): Promise<StatusResult> {
  const bootstrapStack = options.bootstrapStack ?? DEFAULT_BOOTSTRAP_STACK;
  const region = await resolveRegion();
  const cfn = cloudFormationClient({ region });
  const pipelines = codePipelineClient({ region });
  try {
    const build = await describeStack(cfn, bootstrapStack);
    const branch = options.branch ?? build?.Parameters?.find((p) => p.ParameterKey === 'Branch')?.ParameterValue;
    const stackName = options.stackName ?? (branch ? appStackName(branch, bootstrapStack) : undefined);
    if (!stackName) {
      throw new UsageError(`name the stack with --stack-name or the branch with --branch: there is no bootstrap stack ${bootstrapStack} in ${region} to take the branch from`);
    }
    const pipeline = build
      ? await pipelineReport(cfn, pipelines, bootstrapStack)
      : { missing: `no bootstrap stack ${bootstrapStack} in ${region} (create it with \`dataless bootstrap\`)` };
    let stack = await describeStack(cfn, stackName);
    const followed = Boolean(options.follow && stack && isInProgress(stack.StackStatus));
    if (followed) {
      if (!options.json) io.out(render({ region, bootstrapStack, branch, pipeline, stack: stackReport(stackName, stack) }, io.color));
      stack = await follow(cfn, stack!, stackName, options, io);
    }
    const result: StatusResult = { region, bootstrapStack, branch, pipeline, stack: stackReport(stackName, stack) };
    if (options.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
    else if (followed) io.out(`stack ${stackName}: ${result.stack.status}\n`);
    else io.out(render(result, io.color));
    return result;
  } finally {
    cfn.destroy();
    pipelines.destroy();
  }
}

async function pipelineReport(cfn: CloudFormationClient, pipelines: CodePipelineClient, bootstrapStack: string): Promise<PipelineReport | { missing: string }> {
  const { DescribeStackResourceCommand } = await import('@aws-sdk/client-cloudformation');
  const { GetPipelineStateCommand, ListPipelineExecutionsCommand } = await import('@aws-sdk/client-codepipeline');
  let name: string | undefined;
  try {
    name = (await cfn.send(new DescribeStackResourceCommand({ StackName: bootstrapStack, LogicalResourceId: BOOTSTRAP_IDS.pipeline }))).StackResourceDetail?.PhysicalResourceId;
  } catch (error) {
    if (!isMissingStack(error)) throw awsError(`finding the pipeline of stack ${bootstrapStack}`, error);
  }
  if (!name) return { missing: `stack ${bootstrapStack} has no ${BOOTSTRAP_IDS.pipeline} resource (yet)` };
  try {
    const state = await pipelines.send(new GetPipelineStateCommand({ name }));
    const latest = (await pipelines.send(new ListPipelineExecutionsCommand({ pipelineName: name, maxResults: 1 }))).pipelineExecutionSummaries?.[0];
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
    if ((error as { name?: string }).name === 'PipelineNotFoundException') return { missing: `pipeline ${name} of stack ${bootstrapStack} does not exist` };
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

async function follow(cfn: CloudFormationClient, stack: Stack, stackName: string, options: StatusOptions, io: IO): Promise<Stack> {
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
    if (result.interrupted) throw new AbortError(`stopped following stack ${stackName}; the operation goes on in CloudFormation`, 'INTERRUPTED');
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

/** The status as text: the pipeline's stages and actions, then the stack. */
export function render(result: StatusResult, color: boolean): string {
  const p = palette(color);
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
    lines.push(`pipeline ${pl.name} (stack ${result.bootstrapStack}${result.branch ? `, branch ${result.branch}` : ''})`);
    const e = pl.latestExecution;
    if (e) {
      const revision = e.revision ? `, revision ${e.revision.slice(0, 12)}${e.revisionSummary ? ` ${JSON.stringify(firstLine(e.revisionSummary))}` : ''}` : '';
      lines.push(`  latest run ${e.id ?? '?'}: ${paint(e.status)}${e.startTime ? `, started ${e.startTime}` : ''}${revision}`);
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
  else lines.push(`stack ${s.name}: ${paint(s.status)}${s.lastUpdated ? ` (last change ${s.lastUpdated})` : ''}${s.reason && !isSuccess(s.status) ? `: ${s.reason}` : ''}`);
  return `${lines.join('\n')}\n`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

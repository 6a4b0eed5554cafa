// Deploying one template to one stack through a change set: plan the
// parameters, create the change set, show it, ask (or not), execute, follow
// the events until the stack settles, and report the root cause of a failure.
import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { AbortError, DeploymentError, UsageError } from '../../errors';
import type { IO } from '../../io';
import { interruptOnSigint } from '../../interrupt';
import {
  changeSetName,
  createChangeSet,
  deleteChangeSet,
  deleteStack,
  describeChangeSetTree,
  describeStack,
  executeChangeSet,
  isSuccess,
  outputsOf,
  planStack,
  waitForChangeSet,
} from './changeset';
import { StackEventFollower, followStack, rootCause } from './events';
import { declaredParameters, planParameters, requireComplete, toCloudFormation } from './parameters';
import {
  countChanges,
  describeFailure,
  EventView,
  renderChangeSet,
  renderParameters,
  summarizeChanges,
  type ChangeCounts,
} from './render';
import { templateSource } from './template';
import type { Backoff } from './wait';

/** CloudFormation's rule for stack names. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/** Refuses a name CloudFormation would refuse, saying what is allowed. */
export function checkStackName(name: string): void {
  if (!STACK_NAME.test(name)) {
    throw new UsageError(
      `stack name ${JSON.stringify(name)} is not allowed: use letters, digits and '-', starting with a letter, at most 128 characters`,
    );
  }
}

/** Options of deployStack. */
export interface StackDeployOptions {
  /** The stack to create or update. */
  readonly stackName: string;
  /** The template text (YAML or JSON). */
  readonly templateBody: string;
  /** Where the template came from, for messages. */
  readonly templateName: string;
  /** Parameter values; names the template does not declare are left out. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Where parameter values come from, named when one is missing. */
  readonly parameterSource: string;
  /** On update, keep the current value of every parameter not given (else only NoEcho ones and those without a default). @default false */
  readonly keepUnspecified?: boolean;
  /** The region (for the URL of an uploaded template). */
  readonly region: string;
  /** A bucket for a template over the inline limit. @default none */
  readonly bucket?: string;
  /** Key prefix for an uploaded template. @default '' */
  readonly prefix?: string;
  /** Execute without asking. @default false */
  readonly yes?: boolean;
  /** Execute the change set at all; false leaves it for review. @default true */
  readonly execute?: boolean;
  /** Delete and re-create a stack left in ROLLBACK_COMPLETE by a failed first create. @default false */
  readonly recreate?: boolean;
  /** On an update, shows what the change does to the deployed stack and returns what it risks (data loss, broadened access), which the confirmation question names. @default none */
  readonly review?: (stack: Stack) => Promise<string | undefined>;
  /** The question asked on a terminal. @default a yes/no question on stdin/stderr */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Stops following the events (the operation goes on). @default Ctrl-C (SIGINT) while following */
  readonly signal?: AbortSignal;
  /** Time between event polls, in milliseconds. @default 3000 */
  readonly pollIntervalMs?: number;
  /** Delays between polls of a change set being computed. @default 1 s growing to 10 s */
  readonly changeSetBackoff?: Backoff;
}

const EXECUTION_KEYS = [
  'yes',
  'execute',
  'recreate',
  'confirm',
  'signal',
  'pollIntervalMs',
  'changeSetBackoff',
] as const;

/** How a change set is confirmed, executed and followed: the options deploy and bootstrap share. */
export type ExecutionOptions = Pick<StackDeployOptions, (typeof EXECUTION_KEYS)[number]>;

/** The execution options out of a command's options, to hand on to deployStack. */
export function executionOptions(options: ExecutionOptions): ExecutionOptions {
  return Object.fromEntries(EXECUTION_KEYS.map((key) => [key, options[key]])) as ExecutionOptions;
}

/** How a stack deployment ended. */
export interface StackDeployResult {
  readonly stackName: string;
  /** `no-changes`: nothing to do (change set deleted); `not-executed`: change set left for review; `executed`: the stack was deployed. */
  readonly outcome: 'no-changes' | 'not-executed' | 'executed';
  /** The change set's name, unless there were no changes. */
  readonly changeSetName?: string;
  /** The change set's ARN, unless there were no changes. */
  readonly changeSetId?: string;
  /** What the change set does. */
  readonly changes?: ChangeCounts;
  /** The stack's status at the end. */
  readonly stackStatus?: string;
  /** The stack's outputs at the end. */
  readonly outputs: Readonly<Record<string, string>>;
}

/**
 * Deploys one template to one stack through a change set, with the clients of `io.aws`, and returns how it ended;
 * the parameters, the change set, the question and the events go to stderr.
 */
export async function deployStack(options: StackDeployOptions, io: IO): Promise<StackDeployResult> {
  checkStackName(options.stackName);
  const cfn = io.aws.cloudFormation({ region: options.region });
  try {
    return await run(cfn, options, io);
  } finally {
    cfn.destroy();
  }
}

async function run(cfn: CloudFormationClient, options: StackDeployOptions, io: IO): Promise<StackDeployResult> {
  const name = options.stackName;
  const declared = declaredParameters(options.templateBody, options.templateName);
  let stack = await describeStack(cfn, name);
  const plan = planStack(name, stack, Boolean(options.recreate));
  const type = plan.type === 'UPDATE' ? 'UPDATE' : 'CREATE';
  const parameters = planParameters({
    declared,
    given: options.parameters,
    existing: plan.type === 'UPDATE' ? plan.stack.Parameters : undefined,
    keepUnspecified: options.keepUnspecified,
  });
  requireComplete(parameters, name, options.parameterSource);
  const risk = plan.type === 'UPDATE' && options.review ? await options.review(plan.stack) : undefined;

  if (plan.type === 'RECREATE') {
    io.err(
      `stack ${name} is in ${plan.stack.StackStatus} after a failed first create: deleting it to create it anew (--recreate)\n`,
    );
    await deleteStack(cfn, plan.stack, { signal: options.signal });
    stack = undefined;
  }

  const template = await templateSource(
    {
      body: options.templateBody,
      name: options.templateName,
      bucket: options.bucket,
      prefix: options.prefix,
      region: options.region,
      s3: () => io.aws.s3({ region: options.region }),
    },
    io,
  );
  io.err(renderParameters(parameters.parameters));
  const csName = changeSetName();
  io.err(`${type === 'CREATE' ? 'creating' : 'updating'} stack ${name}: computing change set ${csName}\n`);
  const created = await createChangeSet(cfn, {
    stackName: name,
    name: csName,
    type,
    template,
    parameters: toCloudFormation(parameters.parameters),
    description: `dataless deploy of ${options.templateName}`,
  });
  if (created.empty) return noChanges(cfn, name, io);
  const ready = await waitForChangeSet(cfn, name, created.id, {
    backoff: options.changeSetBackoff,
    signal: options.signal,
  });
  if (ready.empty) {
    await deleteChangeSet(cfn, name, created.id);
    return noChanges(cfn, name, io);
  }

  const tree = await describeChangeSetTree(cfn, created.id, name, ready.description);
  const changes = countChanges(tree);
  io.err(renderChangeSet(`change set ${csName} (${type}) for stack ${name}:`, tree, io.color));
  const left = {
    stackName: name,
    changeSetName: csName,
    changeSetId: created.id,
    changes,
    stackStatus: stack?.StackStatus ?? 'REVIEW_IN_PROGRESS',
    outputs: outputsOf(stack),
  };

  if (options.execute === false) {
    io.err(
      `change set ${csName} left for review (--no-execute); execute it in the console or run the deploy again with --yes\n`,
    );
    return { ...left, outcome: 'not-executed' };
  }
  if (!options.yes) {
    if (!io.canPrompt) {
      throw new AbortError(
        `not executing change set ${csName} for stack ${name}: there is no terminal to confirm on and --yes was not given; the change set is left for review (console, or \`aws cloudformation describe-change-set --stack-name ${name} --change-set-name ${csName}\`); run again with --yes to deploy without asking`,
        'CONFIRMATION_REQUIRED',
      );
    }
    const ask = options.confirm ?? (await import('./prompt')).askYesNo;
    const risks = risk ? `; it ${risk}` : '';
    if (!(await ask(`execute change set ${csName} on stack ${name} (${summarizeChanges(changes)})${risks}? [y/N] `))) {
      throw new AbortError(
        `change set ${csName} for stack ${name} not executed; it is left for review (delete it in the console when done)`,
        'DECLINED',
      );
    }
  }

  const follower = new StackEventFollower(cfn, created.stackId);
  await follower.start();
  const before = await describeStack(cfn, created.stackId);
  await executeChangeSet(cfn, name, created.id);
  io.err(`executing change set ${csName} on stack ${name}\n`);
  const view = new EventView(io, name);
  const interrupt = interruptOnSigint(options.signal);
  let result;
  try {
    result = await followStack(cfn, follower, {
      stackName: name,
      intervalMs: options.pollIntervalMs,
      signal: interrupt.signal,
      before: { status: before?.StackStatus, lastUpdated: before?.LastUpdatedTime },
      onEvents: (events) => view.events(events),
      onStack: (s) => view.stack(s),
    });
  } finally {
    view.close();
    interrupt.dispose();
  }
  if (result.interrupted) {
    throw new AbortError(
      `stopped following stack ${name}; the deployment goes on in CloudFormation: follow it with \`dataless status --stack-name ${name} --follow\` or in the console`,
      'INTERRUPTED',
    );
  }
  return finish(result.stack, result.events, { ...left, outcome: 'executed' }, io);
}

function finish(
  stack: Stack,
  events: Parameters<typeof rootCause>[0],
  base: StackDeployResult,
  io: IO,
): StackDeployResult {
  const status = stack.StackStatus ?? 'unknown';
  if (isSuccess(status)) {
    io.err(`stack ${base.stackName}: ${status}\n`);
    return { ...base, stackStatus: status, outputs: outputsOf(stack) };
  }
  const cause = rootCause(events);
  const why = cause ? `first failure: ${describeFailure(cause)}` : `reason: ${stack.StackStatusReason ?? 'none given'}`;
  const next =
    status === 'ROLLBACK_COMPLETE'
      ? '; the failed first create left the stack in ROLLBACK_COMPLETE, which cannot be updated: fix the cause and deploy again with --recreate'
      : status === 'UPDATE_ROLLBACK_COMPLETE'
        ? '; the stack was rolled back to its previous state'
        : '';
  throw new DeploymentError(`deployment of stack ${base.stackName} failed (${status}); ${why}${next}`, {
    code: 'STACK_FAILED',
  });
}

async function noChanges(cfn: CloudFormationClient, name: string, io: IO): Promise<StackDeployResult> {
  io.err(`no changes: stack ${name} is up to date\n`);
  const stack = await describeStack(cfn, name);
  return { stackName: name, outcome: 'no-changes', stackStatus: stack?.StackStatus, outputs: outputsOf(stack) };
}

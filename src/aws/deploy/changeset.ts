// The CloudFormation calls of a change-set deployment: what state the stack
// is in, creating and waiting for a change set, reading it (nested stacks'
// change sets included), executing or deleting it, deleting a stack that
// cannot be updated. Every mutating call carries a fresh token.
import { randomUUID } from 'node:crypto';
import type {
  CloudFormationClient,
  DescribeChangeSetOutput,
  Parameter,
  ResourceChange,
  Stack,
} from '@aws-sdk/client-cloudformation';
import { DeploymentError } from '../../errors';
import { awsError, isMissingStack } from '../errors';
import { backoffDelay, sleep, type Backoff } from './wait';

/** What a stack deployment needs to allow: IAM resources with names and macros (SAM, nested applications). */
const CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;

/** CloudFormation's ways of saying a change set changes nothing. */
const NO_CHANGES = [/didn't contain changes/i, /no updates are to be performed/i];

/** True when a change set's status reason (or an error message) says that there is nothing to change. */
function isNoChanges(reason: string | undefined): boolean {
  return NO_CHANGES.some((pattern) => pattern.test(reason ?? ''));
}

/** True while CloudFormation is still working on the stack. */
export function isInProgress(status: string | undefined): boolean {
  return (status ?? '').endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

/** True for the states an operation ends in successfully. */
export function isSuccess(status: string | undefined): boolean {
  return status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE' || status === 'IMPORT_COMPLETE';
}

/** The stack, or undefined when there is none by that name. */
export async function describeStack(cfn: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  try {
    const answer = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    return answer.Stacks?.[0];
  } catch (error) {
    if (isMissingStack(error)) return undefined;
    throw awsError(`reading stack ${stackName}`, error);
  }
}

/** How a stack in its current state can be deployed to. */
export type StackPlan =
  | { readonly type: 'CREATE' }
  | { readonly type: 'UPDATE'; readonly stack: Stack }
  | { readonly type: 'RECREATE'; readonly stack: Stack };

/**
 * CREATE when there is no stack (or only the shell an unexecuted CREATE change
 * set leaves, REVIEW_IN_PROGRESS), UPDATE when it can be updated, RECREATE when
 * a failed first create left ROLLBACK_COMPLETE and `recreate` allows deleting
 * it; otherwise an error saying what to do.
 */
export function planStack(stackName: string, stack: Stack | undefined, recreate: boolean): StackPlan {
  const status = stack?.StackStatus;
  if (!stack || status === 'REVIEW_IN_PROGRESS') return { type: 'CREATE' };
  if (status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED') {
    if (recreate) return { type: 'RECREATE', stack };
    throw new DeploymentError(
      `stack ${stackName} is in ${status}: its first create failed and it cannot be updated; run again with --recreate to delete it and create it anew`,
      { code: 'STACK_NEEDS_RECREATE' },
    );
  }
  if (isInProgress(status)) {
    throw new DeploymentError(
      `stack ${stackName} is busy (${status}); wait for it to finish (\`dataless status --stack-name ${stackName} --follow\`) and try again`,
      { code: 'STACK_BUSY' },
    );
  }
  if (status === 'UPDATE_ROLLBACK_FAILED') {
    throw new DeploymentError(
      `stack ${stackName} is in UPDATE_ROLLBACK_FAILED: continue the rollback first (console, or \`aws cloudformation continue-update-rollback --stack-name ${stackName}\`), then deploy again`,
      { code: 'STACK_ROLLBACK_FAILED' },
    );
  }
  if (status === 'DELETE_FAILED') {
    throw new DeploymentError(
      `stack ${stackName} is in DELETE_FAILED: finish deleting it in the console, then deploy again`,
      { code: 'STACK_DELETE_FAILED' },
    );
  }
  return { type: 'UPDATE', stack };
}

/** A change set name that sorts by time: letters, digits and dashes, as CloudFormation requires. */
export function changeSetName(now: Date = new Date()): string {
  return `dataless-${now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-')}-${randomUUID().slice(0, 4)}`;
}

/** Where the template comes from: its text, or a URL in S3 that CloudFormation reads. */
export type TemplateSource = { readonly body: string } | { readonly url: string };

/** Options of createChangeSet. */
export interface CreateChangeSetOptions {
  readonly stackName: string;
  readonly name: string;
  readonly type: 'CREATE' | 'UPDATE';
  readonly template: TemplateSource;
  readonly parameters: readonly Parameter[];
  /** A description shown in the console. @default none */
  readonly description?: string;
}

/** The created change set; `empty` when CloudFormation refused it at once for having no changes. */
export type CreatedChangeSet =
  { readonly empty: false; readonly id: string; readonly stackId: string } | { readonly empty: true };

export async function createChangeSet(
  cfn: CloudFormationClient,
  options: CreateChangeSetOptions,
): Promise<CreatedChangeSet> {
  const { CreateChangeSetCommand } = await import('@aws-sdk/client-cloudformation');
  try {
    const answer = await cfn.send(
      new CreateChangeSetCommand({
        StackName: options.stackName,
        ChangeSetName: options.name,
        ChangeSetType: options.type,
        ...('body' in options.template
          ? { TemplateBody: options.template.body }
          : { TemplateURL: options.template.url }),
        Parameters: [...options.parameters],
        Capabilities: [...CAPABILITIES],
        IncludeNestedStacks: true,
        ClientToken: randomUUID(),
        ...(options.description ? { Description: options.description } : {}),
      }),
    );
    return { empty: false, id: answer.Id ?? options.name, stackId: answer.StackId ?? options.stackName };
  } catch (error) {
    // Some endpoints refuse an empty update at once rather than through a FAILED change set.
    if ((error as { name?: string }).name === 'ValidationError' && isNoChanges((error as Error).message))
      return { empty: true };
    throw awsError(`creating change set ${options.name} for stack ${options.stackName}`, error);
  }
}

/** Options of waitForChangeSet. */
export interface WaitOptions {
  /** Delays between polls. @default 1 s growing to 10 s */
  readonly backoff?: Backoff;
  /** Give up after this long, in milliseconds. @default 30 minutes */
  readonly timeoutMs?: number;
  /** Stops waiting early. @default none */
  readonly signal?: AbortSignal;
}

/** A change set that CloudFormation finished computing. */
export type ReadyChangeSet =
  | { readonly empty: false; readonly description: DescribeChangeSetOutput }
  | { readonly empty: true; readonly reason: string };

/** Polls until the change set is computed; `empty` when it has no changes, an error naming the reason when it failed. */
export async function waitForChangeSet(
  cfn: CloudFormationClient,
  stackName: string,
  changeSetId: string,
  options: WaitOptions = {},
): Promise<ReadyChangeSet> {
  const { DescribeChangeSetCommand } = await import('@aws-sdk/client-cloudformation');
  const backoff = options.backoff ?? { initialMs: 1000, maxMs: 10_000 };
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  for (let attempt = 0; ; attempt++) {
    let answer: DescribeChangeSetOutput;
    try {
      answer = await cfn.send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetId }));
    } catch (error) {
      throw awsError(`reading change set ${changeSetId}`, error);
    }
    if (answer.Status === 'CREATE_COMPLETE') return { empty: false, description: answer };
    if (answer.Status === 'FAILED') {
      if (isNoChanges(answer.StatusReason)) return { empty: true, reason: answer.StatusReason ?? 'no changes' };
      throw new DeploymentError(
        `change set ${answer.ChangeSetName ?? changeSetId} for stack ${stackName} failed: ${answer.StatusReason ?? 'no reason given'}`,
        {
          code: 'CHANGE_SET_FAILED',
        },
      );
    }
    if (options.signal?.aborted)
      throw new DeploymentError(`stopped waiting for change set ${changeSetId}`, { code: 'ABORTED' });
    if (Date.now() > deadline) {
      throw new DeploymentError(
        `change set ${changeSetId} for stack ${stackName} was still ${answer.Status} after ${Math.round((options.timeoutMs ?? 30 * 60_000) / 60_000)} minutes`,
        {
          code: 'CHANGE_SET_TIMEOUT',
        },
      );
    }
    await sleep(backoffDelay(backoff, attempt), options.signal);
  }
}

/** One resource change, with the changes inside it when it is a nested stack. */
export interface ChangeNode {
  readonly change: ResourceChange;
  readonly children: readonly ChangeNode[];
}

/**
 * Every page of a change set, and of the nested stacks' change sets under it.
 * `stackName` may be left out when `changeSetId` is an ARN (nested change sets are named by theirs).
 */
export async function describeChangeSetTree(
  cfn: CloudFormationClient,
  changeSetId: string,
  stackName?: string,
  first?: DescribeChangeSetOutput,
): Promise<ChangeNode[]> {
  const { DescribeChangeSetCommand } = await import('@aws-sdk/client-cloudformation');
  const changes: ResourceChange[] = [];
  let page = first;
  let nextToken: string | undefined;
  do {
    if (!page) {
      try {
        page = await cfn.send(
          new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetId, NextToken: nextToken }),
        );
      } catch (error) {
        throw awsError(`reading change set ${changeSetId}`, error);
      }
    }
    for (const c of page.Changes ?? []) if (c.ResourceChange) changes.push(c.ResourceChange);
    nextToken = page.NextToken;
    page = undefined;
  } while (nextToken);
  const nodes: ChangeNode[] = [];
  for (const change of changes) {
    const nested =
      change.ResourceType === 'AWS::CloudFormation::Stack' && change.ChangeSetId && change.ChangeSetId !== changeSetId;
    nodes.push({ change, children: nested ? await describeChangeSetTree(cfn, change.ChangeSetId!) : [] });
  }
  return nodes;
}

export async function executeChangeSet(
  cfn: CloudFormationClient,
  stackName: string,
  changeSetId: string,
): Promise<string> {
  const { ExecuteChangeSetCommand } = await import('@aws-sdk/client-cloudformation');
  const token = randomUUID();
  try {
    await cfn.send(
      new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetId, ClientRequestToken: token }),
    );
  } catch (error) {
    throw awsError(`executing change set ${changeSetId} on stack ${stackName}`, error);
  }
  return token;
}

/** Deletes a change set (CloudFormation's DeleteChangeSet takes no request token). */
export async function deleteChangeSet(
  cfn: CloudFormationClient,
  stackName: string,
  changeSetId: string,
): Promise<void> {
  const { DeleteChangeSetCommand } = await import('@aws-sdk/client-cloudformation');
  try {
    await cfn.send(new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetId }));
  } catch (error) {
    if (isMissingStack(error)) return;
    throw awsError(`deleting change set ${changeSetId}`, error);
  }
}

/** Deletes a stack and waits until it is gone. */
export async function deleteStack(cfn: CloudFormationClient, stack: Stack, options: WaitOptions = {}): Promise<void> {
  const { DeleteStackCommand } = await import('@aws-sdk/client-cloudformation');
  const name = stack.StackName ?? '';
  try {
    await cfn.send(new DeleteStackCommand({ StackName: stack.StackId ?? name, ClientRequestToken: randomUUID() }));
  } catch (error) {
    throw awsError(`deleting stack ${name}`, error);
  }
  const backoff = options.backoff ?? { initialMs: 2000, maxMs: 10_000 };
  const deadline = Date.now() + (options.timeoutMs ?? 60 * 60_000);
  for (let attempt = 0; ; attempt++) {
    // By id, a deleted stack still answers, with DELETE_COMPLETE.
    const current = await describeStack(cfn, stack.StackId ?? name);
    const status = current?.StackStatus;
    if (!current || status === 'DELETE_COMPLETE') return;
    if (status === 'DELETE_FAILED') {
      throw new DeploymentError(
        `stack ${name} could not be deleted: ${current.StackStatusReason ?? 'no reason given'}; finish deleting it in the console`,
        {
          code: 'STACK_DELETE_FAILED',
        },
      );
    }
    if (Date.now() > deadline)
      throw new DeploymentError(`stack ${name} was still ${status} after waiting for its deletion`, {
        code: 'STACK_DELETE_TIMEOUT',
      });
    await sleep(backoffDelay(backoff, attempt), options.signal);
  }
}

/** The stack's outputs by key, sorted by key. */
export function outputsOf(stack: Stack | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of [...(stack?.Outputs ?? [])].sort((a, b) => (a.OutputKey ?? '').localeCompare(b.OutputKey ?? ''))) {
    if (o.OutputKey) out[o.OutputKey] = o.OutputValue ?? '';
  }
  return out;
}

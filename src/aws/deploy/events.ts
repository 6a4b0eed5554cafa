// Following a stack operation through DescribeStackEvents: the root stack's
// events after a marker taken before the operation started, and the events
// of every nested stack (AWS::CloudFormation::Stack) as its physical id
// appears, merged in time order. CloudFormation returns events newest first,
// a page at a time; each stack is read back only as far as the last event
// already seen.
import type { CloudFormationClient, Stack, StackEvent } from '@aws-sdk/client-cloudformation';
import { DeploymentError } from '../../errors';
import { awsError, isMissingStack, isThrottling } from '../errors';
import { isInProgress } from './changeset';
import { sleep } from './wait';

/** An event and the nested stack it comes from. */
export interface FollowedEvent {
  /** Logical ids from the root stack down to the stack that reported the event; empty for the root. */
  readonly path: readonly string[];
  readonly event: StackEvent;
}

/** The root stack statuses that begin an operation. */
const OPERATION_START = ['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'IMPORT_IN_PROGRESS'];

interface FollowedStack {
  readonly stackId: string;
  readonly path: readonly string[];
  readonly seen: Set<string>;
}

/** Reads the new events of a stack and of its nested stacks. */
export class StackEventFollower {
  private readonly stacks = new Map<string, FollowedStack>();
  private marker: string | undefined;
  /** When the operation's first root event happened (the service's clock). */
  private since: Date | undefined;
  /** Every event of the operation so far, in time order. */
  readonly events: FollowedEvent[] = [];
  /** Events read (and marked seen) by a poll that then failed: the next poll reports them. */
  private unreported: FollowedEvent[] = [];

  constructor(
    private readonly cfn: CloudFormationClient,
    /** The root stack's id (ARN). */
    readonly rootStackId: string,
  ) {
    this.stacks.set(rootStackId, { stackId: rootStackId, path: [], seen: new Set() });
  }

  /** Remembers the newest event before the operation, so that only later ones are reported. */
  async start(): Promise<void> {
    const page = await this.page(this.rootStackId, undefined);
    this.marker = page.StackEvents?.[0]?.EventId;
  }

  /**
   * Starts at the beginning of the operation in progress (the root stack's
   * latest CREATE/UPDATE/DELETE/IMPORT_IN_PROGRESS), so that the first poll
   * reports the events it already has; from now when none is found.
   */
  async startAtCurrentOperation(maxPages = 10): Promise<void> {
    let token: string | undefined;
    let newest: string | undefined;
    let found = false;
    for (let page = 0; page < maxPages; page++) {
      const answer = await this.page(this.rootStackId, token);
      for (const event of answer.StackEvents ?? []) {
        newest ??= event.EventId;
        if (found) {
          this.marker = event.EventId;
          return;
        }
        found = event.PhysicalResourceId === event.StackId && OPERATION_START.includes(event.ResourceStatus ?? '');
      }
      token = answer.NextToken;
      if (!token) break;
    }
    // The operation's start is the stack's first event (every event is reported), or too far back to look for.
    this.marker = found ? undefined : newest;
  }

  /** The events that appeared since the last poll, in time order. Throttling errors propagate (the caller backs off). */
  async poll(): Promise<FollowedEvent[]> {
    const fresh = this.unreported;
    const polled = new Set<string>();
    // A poll can discover nested stacks; they are read in the same round.
    for (
      let pending = [...this.stacks.values()];
      pending.length > 0;
      pending = [...this.stacks.values()].filter((s) => !polled.has(s.stackId))
    ) {
      for (const stack of pending) {
        polled.add(stack.stackId);
        const events = await this.newEvents(stack);
        for (const event of events) {
          fresh.push({ path: stack.path, event });
          this.discover(stack, event);
        }
      }
    }
    const ordered = fresh
      .map((e, i) => ({ e, i }))
      .sort((a, b) => (a.e.event.Timestamp?.getTime() ?? 0) - (b.e.event.Timestamp?.getTime() ?? 0) || a.i - b.i)
      .map((x) => x.e);
    this.unreported = [];
    this.events.push(...ordered);
    return ordered;
  }

  /** True once the root stack itself reported `status` during the operation. */
  rootReported(status: string | undefined): boolean {
    return this.events.some(
      (e) => e.path.length === 0 && e.event.PhysicalResourceId === e.event.StackId && e.event.ResourceStatus === status,
    );
  }

  private discover(parent: FollowedStack, event: StackEvent): void {
    const id = event.PhysicalResourceId ?? '';
    if (
      event.ResourceType !== 'AWS::CloudFormation::Stack' ||
      !id.startsWith('arn:') ||
      id === event.StackId ||
      this.stacks.has(id)
    )
      return;
    this.stacks.set(id, { stackId: id, path: [...parent.path, event.LogicalResourceId ?? '?'], seen: new Set() });
  }

  /** The stack's events newer than what was seen (and, for nested stacks, not older than the operation), oldest first. */
  private async newEvents(stack: FollowedStack): Promise<StackEvent[]> {
    const root = stack.stackId === this.rootStackId;
    const out: StackEvent[] = [];
    let token: string | undefined;
    pages: do {
      const page = await this.page(stack.stackId, token);
      for (const event of page.StackEvents ?? []) {
        const id = event.EventId ?? '';
        if (stack.seen.has(id) || (root && id === this.marker)) break pages;
        if (!root && this.since && event.Timestamp && event.Timestamp < this.since) break pages;
        out.push(event);
      }
      token = page.NextToken;
    } while (token);
    for (const event of out) stack.seen.add(event.EventId ?? '');
    out.reverse();
    if (root && !this.since && out[0]?.Timestamp) this.since = out[0].Timestamp;
    return out;
  }

  private async page(stackId: string, token: string | undefined) {
    const { DescribeStackEventsCommand } = await import('@aws-sdk/client-cloudformation');
    try {
      return await this.cfn.send(new DescribeStackEventsCommand({ StackName: stackId, NextToken: token }));
    } catch (error) {
      if (isThrottling(error)) throw error;
      throw awsError(`reading the events of stack ${stackId}`, error);
    }
  }
}

/** Reasons CloudFormation gives for failures that another failure caused. */
const CASCADE = [
  /^Resource (creation|update|deletion|import) cancelled/i,
  /^The following resource\(s\) failed to/i,
  /^Embedded stack .* was not successfully/i,
  /^Stack operation was cancelled/i,
];

/**
 * The failure that started it all: the first failed resource whose reason is
 * not a consequence of another failure ("Resource creation cancelled", a
 * nested stack's summary); else the first failure of any kind.
 */
export function rootCause(events: readonly FollowedEvent[]): FollowedEvent | undefined {
  const failed = events.filter((e) => (e.event.ResourceStatus ?? '').endsWith('_FAILED'));
  return failed.find((e) => !CASCADE.some((pattern) => pattern.test(e.event.ResourceStatusReason ?? ''))) ?? failed[0];
}

/** Options of followStack. */
export interface FollowOptions {
  /** The stack's name, for messages. */
  readonly stackName: string;
  /** Time between polls, in milliseconds. @default 3000 */
  readonly intervalMs?: number;
  /** Stops following (the operation goes on). @default none */
  readonly signal?: AbortSignal;
  /** The stack's status and last update before the operation, to tell its end from the state before it. @default none */
  readonly before?: { readonly status?: string; readonly lastUpdated?: Date };
  /** Polls in a row that may be throttled before following gives up. @default 8 */
  readonly maxThrottled?: number;
  /** Called with each poll's new events. */
  readonly onEvents: (events: readonly FollowedEvent[]) => void;
  /** Called with the stack after each poll. @default none */
  readonly onStack?: (stack: Stack) => void;
}

/** How following ended. */
export interface FollowResult {
  /** The stack as last read. */
  readonly stack: Stack;
  /** Every event of the operation, in time order. */
  readonly events: readonly FollowedEvent[];
  /** True when the signal stopped the following before the operation ended. */
  readonly interrupted: boolean;
}

/** Polls events and status until the stack leaves its *_IN_PROGRESS states (or the signal fires). */
export async function followStack(
  cfn: CloudFormationClient,
  follower: StackEventFollower,
  options: FollowOptions,
): Promise<FollowResult> {
  const interval = options.intervalMs ?? 3000;
  const maxThrottled = options.maxThrottled ?? 8;
  let throttled = 0;
  let stack: Stack | undefined;
  for (;;) {
    if (options.signal?.aborted && stack) return { stack, events: follower.events, interrupted: true };
    try {
      options.onEvents(await follower.poll());
      stack = await currentStack(cfn, follower.rootStackId, options.stackName);
      throttled = 0;
    } catch (error) {
      if (!isThrottling(error)) throw error;
      throttled++;
      if (throttled > maxThrottled) {
        throw new DeploymentError(
          `CloudFormation kept throttling the requests for stack ${options.stackName}'s events (${throttled} polls in a row); the deployment goes on: follow it with \`dataless status --stack-name ${options.stackName} --follow\` or in the console`,
          { code: 'FOLLOW_THROTTLED', cause: error },
        );
      }
    }
    if (stack) {
      options.onStack?.(stack);
      const status = stack.StackStatus;
      const ended = !isInProgress(status) && status !== 'REVIEW_IN_PROGRESS';
      const started =
        follower.rootReported(status) ||
        status !== options.before?.status ||
        (stack.LastUpdatedTime?.getTime() ?? 0) !== (options.before?.lastUpdated?.getTime() ?? 0);
      if (ended && started) {
        // The last events may have landed between the poll and the status read.
        options.onEvents(
          await follower.poll().catch((error: unknown) => {
            if (isThrottling(error)) return [];
            throw error;
          }),
        );
        return { stack, events: follower.events, interrupted: false };
      }
    }
    await sleep(Math.min(60_000, interval * 2 ** throttled), options.signal);
  }
}

async function currentStack(cfn: CloudFormationClient, stackId: string, stackName: string): Promise<Stack> {
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  let stack: Stack | undefined;
  try {
    stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0];
  } catch (error) {
    if (isThrottling(error)) throw error;
    if (!isMissingStack(error)) throw awsError(`reading stack ${stackName}`, error);
  }
  if (!stack)
    throw new DeploymentError(`stack ${stackName} disappeared while it was being deployed`, { code: 'STACK_GONE' });
  return stack;
}

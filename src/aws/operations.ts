// How far behind the warehouse is, for `dataless status`: the last successful
// run of the batch state machine and the stack's alarms that are in ALARM.
// Both are found through the stack's resources, nested stacks included, so
// only this deployment's state machine and alarms are reported.
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { DatalessError } from '../errors';
import { awsError } from './errors';

/** One resource of a stack or of a stack nested in it. */
export interface StackResource {
  /** The stack (name or ARN) that declares it. */
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
}

/** One run of the batch. */
export interface BatchRun {
  /** The execution's name. */
  readonly name: string;
  readonly status: string;
  /** The day it processed (yyyy-MM-dd), as the state machine works it out from the input. */
  readonly day?: string;
  readonly startedAt?: string;
  readonly stoppedAt?: string;
  readonly durationSeconds?: number;
}

/** The batch state machine and its runs. */
export interface BatchReport {
  /** The state machine's ARN: start a run of a day with `aws stepfunctions start-execution`. */
  readonly stateMachine: string;
  /** The newest run that succeeded. */
  readonly lastSuccess?: BatchRun;
  /** The newest run, when it is not the last success (running, failed, ...). */
  readonly latest?: BatchRun;
}

/** An alarm of the stack in ALARM. */
export interface FiringAlarm {
  /** The alarm's logical id, as docs/operations.md names it. */
  readonly logicalId: string;
  readonly name: string;
  readonly reason?: string;
  readonly since?: string;
}

/** The stack's alarms. */
export interface AlarmsReport {
  /** How many alarms the stack has. */
  readonly watched: number;
  readonly firing: readonly FiringAlarm[];
}

const STATE_MACHINE = 'AWS::StepFunctions::StateMachine';
const ALARM = 'AWS::CloudWatch::Alarm';
/** What SAM applications and nested stacks are once deployed. */
const NESTED_STACK = 'AWS::CloudFormation::Stack';
/** The batch's state machine among the stack's state machines. */
const BATCH_STATE_MACHINE_ID = 'BatchStateMachine';
/** DescribeAlarms takes up to 100 names a call. */
const ALARM_NAMES_PER_CALL = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Every resource of `stackName` and of the stacks nested in it, depth first. */
export async function stackResources(cfn: CloudFormationClient, stackName: string): Promise<StackResource[]> {
  const { ListStackResourcesCommand } = await import('@aws-sdk/client-cloudformation');
  const resources: StackResource[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    } catch (error) {
      throw awsError(`listing the resources of stack ${stackName}`, error);
    }
    for (const r of page.StackResourceSummaries ?? []) {
      resources.push({
        stack: stackName,
        logicalId: r.LogicalResourceId ?? '?',
        type: r.ResourceType ?? '?',
        physicalId: r.PhysicalResourceId,
      });
      if (r.ResourceType === NESTED_STACK && r.PhysicalResourceId)
        resources.push(...(await stackResources(cfn, r.PhysicalResourceId)));
    }
    token = page.NextToken;
  } while (token);
  return resources;
}

/**
 * The day a run processed, worked out from its input as the state machine's
 * PlanRun state does: `date` when given, else the day before `scheduledTime`,
 * else the day before the run started. Undefined when the input is unreadable.
 */
export function runDay(input: string | undefined, startedAt: Date | undefined): string | undefined {
  let parsed: { date?: unknown; scheduledTime?: unknown };
  try {
    parsed = JSON.parse(input ?? '{}') as typeof parsed;
  } catch {
    return undefined;
  }
  if (typeof parsed.date === 'string') return parsed.date;
  const from = typeof parsed.scheduledTime === 'string' ? Date.parse(parsed.scheduledTime) : startedAt?.getTime();
  if (from === undefined || Number.isNaN(from)) return undefined;
  return new Date(from - DAY_MS).toISOString().slice(0, 10);
}

/** The batch state machine among `resources`, its last successful run and its latest run; undefined when there is none. */
export async function batchReport(
  sfn: SFNClient,
  resources: readonly StackResource[],
): Promise<BatchReport | undefined> {
  const machines = resources.filter((r) => r.type === STATE_MACHINE && r.physicalId);
  const machine = machines.find((r) => r.logicalId === BATCH_STATE_MACHINE_ID) ?? machines[0];
  if (!machine?.physicalId) return undefined;
  const stateMachine = machine.physicalId;
  const { DescribeExecutionCommand, ListExecutionsCommand } = await import('@aws-sdk/client-sfn');
  const run = async (
    summary: { executionArn?: string; name?: string; status?: string; startDate?: Date; stopDate?: Date } | undefined,
  ): Promise<BatchRun | undefined> => {
    if (!summary?.executionArn) return undefined;
    let input: string | undefined;
    try {
      input = (await sfn.send(new DescribeExecutionCommand({ executionArn: summary.executionArn }))).input;
    } catch (error) {
      throw awsError(`describing run ${summary.name ?? summary.executionArn} of the batch`, error);
    }
    const { startDate, stopDate } = summary;
    return {
      name: summary.name ?? summary.executionArn,
      status: summary.status ?? '?',
      day: runDay(input, startDate),
      startedAt: startDate?.toISOString(),
      stoppedAt: stopDate?.toISOString(),
      durationSeconds:
        startDate && stopDate ? Math.round((stopDate.getTime() - startDate.getTime()) / 1000) : undefined,
    };
  };
  try {
    const [succeeded, newest] = await Promise.all([
      sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachine, statusFilter: 'SUCCEEDED', maxResults: 1 })),
      sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachine, maxResults: 1 })),
    ]);
    const success = succeeded.executions?.[0];
    const latest = newest.executions?.[0];
    return {
      stateMachine,
      lastSuccess: await run(success),
      latest: latest && latest.executionArn !== success?.executionArn ? await run(latest) : undefined,
    };
  } catch (error) {
    if (error instanceof DatalessError) throw error;
    // Listed among the resources but gone, e.g. while the stack replaces it.
    if ((error as { name?: string }).name === 'StateMachineDoesNotExist') return undefined;
    throw awsError(`listing the runs of state machine ${stateMachine}`, error);
  }
}

/** The alarms among `resources` and those of them that are in ALARM. */
export async function alarmsReport(
  cloudWatch: CloudWatchClient,
  resources: readonly StackResource[],
): Promise<AlarmsReport> {
  const logicalIds = new Map(
    resources.filter((r) => r.type === ALARM && r.physicalId).map((r) => [r.physicalId!, r.logicalId]),
  );
  const names = [...logicalIds.keys()];
  const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
  const firing: FiringAlarm[] = [];
  // Asked by name and filtered here: the names are what make them this stack's.
  for (let i = 0; i < names.length; i += ALARM_NAMES_PER_CALL) {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await cloudWatch.send(
          new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + ALARM_NAMES_PER_CALL), NextToken: token }),
        );
      } catch (error) {
        throw awsError('describing the alarms of the stack', error);
      }
      for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        if (alarm.StateValue !== 'ALARM' || !alarm.AlarmName) continue;
        firing.push({
          logicalId: logicalIds.get(alarm.AlarmName) ?? alarm.AlarmName,
          name: alarm.AlarmName,
          reason: alarm.StateReason,
          since: alarm.StateUpdatedTimestamp?.toISOString(),
        });
      }
      token = page.NextToken;
    } while (token);
  }
  firing.sort((a, b) => a.logicalId.localeCompare(b.logicalId));
  return { watched: names.length, firing };
}

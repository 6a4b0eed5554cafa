// Every alarm of every stack is declared through here, so none exists without
// someone being told: each notifies the root stack's alarm topic when it
// fires, and again when it recovers where recovery is news. What each alarm
// means and what to do about it is in docs/operations.md.
import type { AlarmProperties } from 'cloudform-types/types/cloudWatch/alarm';
import type { Value } from '../../cfn/intrinsics';
import type { Resource, ResourceOptions, Template } from '../../cfn/template';

/** An alarm's metric and condition; the actions are added here. */
export type AlarmCondition = Omit<
  AlarmProperties,
  'AlarmActions' | 'OKActions' | 'InsufficientDataActions' | 'ActionsEnabled'
>;

export interface AlarmSpec extends AlarmCondition {
  /**
   * Notify the return to OK as well. True for a state that can end by itself
   * (a stream that caught up, errors that stopped); false for an event that has
   * happened and stays happened (a failed run), where OK only means that time passed.
   */
  readonly recoveryIsNews: boolean;
}

/** Declares an alarm that notifies `topic` (an SNS topic ARN). */
export function declareAlarm(
  t: Template,
  logicalId: string,
  topic: Value<string>,
  spec: AlarmSpec,
  options: ResourceOptions = {},
): Resource<'AWS::CloudWatch::Alarm'> {
  const { recoveryIsNews, ...condition } = spec;
  return t.resource(
    logicalId,
    'AWS::CloudWatch::Alarm',
    { ...condition, AlarmActions: [topic], ...(recoveryIsNews ? { OKActions: [topic] } : {}) },
    options,
  );
}

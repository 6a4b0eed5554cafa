// Where alarms go: one SNS topic per deployment, which every alarm of every
// stack notifies, with an optional e-mail subscription. A team attaches chat
// or paging tools by subscribing them to the topic (its ARN is an output).
//
// The topic is encrypted with a key of its own. The AWS-managed key
// alias/aws/sns cannot serve: its key policy, which nobody can change, lets
// only principals of the account use it through SNS, so CloudWatch's
// publishing from an alarm would fail (and EventBridge's as well). The key
// policy here grants the two services the data-key calls that publishing to an
// encrypted topic needs, and the account's administrators everything else.
import { AWS, sub } from '../../cfn/intrinsics';
import type { Condition, Parameter, Resource, Template } from '../../cfn/template';
import { accountAdministersKey, arnIn } from '../shared/iam';

/** The services that may publish to the topic: CloudWatch for its alarms, EventBridge for rules a team adds. */
export const PUBLISHERS = {
  alarms: { sid: 'AlarmsPublish', service: 'cloudwatch.amazonaws.com', source: arnIn('cloudwatch')`alarm:*` },
  rules: { sid: 'RulesPublish', service: 'events.amazonaws.com', source: arnIn('events')`rule/*` },
} as const;

/** What a service needs of the key to publish to a topic encrypted with it. */
const PUBLISH_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'];

export interface AlarmTopic {
  readonly topic: Resource<'AWS::SNS::Topic'>;
  readonly key: Resource<'AWS::KMS::Key'>;
}

export function declareAlarmTopic(t: Template, email: Parameter, emailGiven: Condition): AlarmTopic {
  const thisAccount = { StringEquals: { 'aws:SourceAccount': AWS.AccountId } };
  const key = t.resource('AlarmTopicKey', 'AWS::KMS::Key', {
    Description: sub`Encrypts the alarm notifications of stack ${AWS.StackName}`,
    EnableKeyRotation: true,
    KeyPolicy: {
      Version: '2012-10-17',
      Statement: [
        accountAdministersKey(),
        {
          Sid: PUBLISHERS.alarms.sid,
          Effect: 'Allow',
          Principal: { Service: PUBLISHERS.alarms.service },
          Action: PUBLISH_KEY_ACTIONS,
          Resource: '*',
          Condition: { ...thisAccount, ArnLike: { 'aws:SourceArn': PUBLISHERS.alarms.source } },
        },
        {
          // No source conditions: EventBridge's key requests carry no aws:SourceAccount or aws:SourceArn,
          // so a condition on them would drop every notification. The topic policy confines it to this account.
          Sid: PUBLISHERS.rules.sid,
          Effect: 'Allow',
          Principal: { Service: PUBLISHERS.rules.service },
          Action: PUBLISH_KEY_ACTIONS,
          Resource: '*',
        },
      ],
    },
  });

  const topic = t.resource('AlarmTopic', 'AWS::SNS::Topic', {
    DisplayName: 'Dataless alarms',
    KmsMasterKeyId: key.getAtt('Arn'),
  });

  t.resource('AlarmTopicPolicy', 'AWS::SNS::TopicPolicy', {
    Topics: [topic],
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: Object.values(PUBLISHERS).map((publisher) => ({
        Sid: publisher.sid,
        Effect: 'Allow',
        Principal: { Service: publisher.service },
        Action: 'sns:Publish',
        Resource: topic,
        Condition: { ...thisAccount, ArnLike: { 'aws:SourceArn': publisher.source } },
      })),
    },
  });

  t.resource(
    'AlarmEmailSubscription',
    'AWS::SNS::Subscription',
    { TopicArn: topic, Protocol: 'email', Endpoint: email },
    { condition: emailGiven },
  );

  return { topic, key };
}

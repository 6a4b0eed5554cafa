// The event follower against scripted DescribeStackEvents pages: moto keeps
// few events and never pages them, so paging is scripted with aws-sdk-client-mock.
import { expect } from 'chai';
import { type CloudFormationClient, DescribeStackEventsCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { rootCause, StackEventFollower, type FollowedEvent } from '../../../src/aws/deploy/events';
import { failure } from '../../support/failure';
import { useScriptedClients } from '../mocks';

const ROOT = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1';
const NESTED = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app-Service/2';
let n = 0;
const ev = (logicalId: string, status: string, reason?: string): StackEvent => ({
  StackId: ROOT,
  StackName: 'app',
  EventId: `e${++n}`,
  LogicalResourceId: logicalId,
  PhysicalResourceId: logicalId === 'app' ? ROOT : `${logicalId}-1`,
  ResourceType: logicalId === 'app' ? 'AWS::CloudFormation::Stack' : 'AWS::SQS::Queue',
  ResourceStatus: status as StackEvent['ResourceStatus'],
  ResourceStatusReason: reason,
  Timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, n)),
});
const followed = (event: StackEvent, path: string[] = []): FollowedEvent => ({ path, event });

describe('stack events', () => {
  describe('rootCause', () => {
    it('skips cancellations and nested-stack summaries to find the failure that started it', () => {
      const events = [
        followed(ev('A', 'CREATE_FAILED', 'Resource creation cancelled')),
        followed(
          ev(
            'Nested',
            'CREATE_FAILED',
            'Embedded stack arn:x was not successfully created: The following resource(s) failed to create: [B].',
          ),
        ),
        followed(ev('B', 'CREATE_FAILED', 'Bucket name already exists'), ['Nested']),
        followed(ev('C', 'CREATE_FAILED', 'Access denied')),
      ];
      expect(rootCause(events)?.event.LogicalResourceId).to.equal('B');
    });

    it('falls back to the first failure when every reason is a cascade, and to nothing without failures', () => {
      const cancelled = followed(ev('A', 'UPDATE_FAILED', 'Resource update cancelled'));
      expect(rootCause([followed(ev('X', 'UPDATE_COMPLETE')), cancelled])).to.equal(cancelled);
      expect(rootCause([followed(ev('X', 'UPDATE_COMPLETE'))])).to.equal(undefined);
    });
  });

  describe('StackEventFollower', () => {
    const scripted = useScriptedClients();
    let cfn: AwsClientStub<CloudFormationClient>;
    before(() => (cfn = scripted.stub('cloudFormation')));

    it('reads back through pages only as far as the newest event seen before, and returns events oldest first', async () => {
      const old = ev('app', 'UPDATE_COMPLETE');
      const a = ev('app', 'UPDATE_IN_PROGRESS', 'User Initiated');
      const b = ev('Queue', 'UPDATE_IN_PROGRESS');
      const c = ev('Queue', 'UPDATE_COMPLETE');
      const d = ev('app', 'UPDATE_COMPLETE');
      cfn
        .on(DescribeStackEventsCommand, { StackName: ROOT, NextToken: undefined })
        .resolvesOnce({ StackEvents: [old] })
        .resolvesOnce({ StackEvents: [c, b], NextToken: 'page2' })
        .resolves({ StackEvents: [d, c], NextToken: 'page2' });
      cfn.on(DescribeStackEventsCommand, { StackName: ROOT, NextToken: 'page2' }).resolves({ StackEvents: [a, old] });
      const follower = new StackEventFollower(scripted.aws.cloudFormation(), ROOT);

      await follower.start();
      const first = await follower.poll();
      const second = await follower.poll();

      expect(first.map((e) => e.event.EventId)).to.deep.equal([a, b, c].map((e) => e.EventId));
      expect(second.map((e) => e.event.EventId)).to.deep.equal([d.EventId]);
      expect(cfn.commandCalls(DescribeStackEventsCommand, { NextToken: 'page2' })).to.have.length(1);
      expect(follower.rootReported('UPDATE_COMPLETE')).to.equal(true);
    });

    it('keeps the events read before a throttled call and reports them with the next poll', async () => {
      const old = ev('app', 'UPDATE_COMPLETE');
      const start = ev('app', 'UPDATE_IN_PROGRESS', 'User Initiated');
      const nested = {
        ...ev('Service', 'UPDATE_IN_PROGRESS'),
        PhysicalResourceId: NESTED,
        ResourceType: 'AWS::CloudFormation::Stack',
      };
      const inner = { ...ev('Fn', 'UPDATE_FAILED', 'Access denied'), StackId: NESTED, StackName: 'app-Service' };
      cfn
        .on(DescribeStackEventsCommand, { StackName: ROOT })
        .resolvesOnce({ StackEvents: [old] })
        .resolves({ StackEvents: [nested, start, old] });
      const throttling = Object.assign(new Error('Rate exceeded'), {
        name: 'Throttling',
        $retryable: { throttling: true },
      });
      cfn
        .on(DescribeStackEventsCommand, { StackName: NESTED })
        .rejectsOnce(throttling)
        .resolves({ StackEvents: [inner] });
      const follower = new StackEventFollower(scripted.aws.cloudFormation(), ROOT);
      await follower.start();

      const thrown = await failure(follower.poll());
      const next = await follower.poll();

      expect(thrown).to.equal(throttling);
      expect(next.map((e) => e.event.EventId)).to.deep.equal([start.EventId, nested.EventId, inner.EventId]);
      expect(follower.events.map((e) => e.event.EventId)).to.deep.equal([start.EventId, nested.EventId, inner.EventId]);
      expect(rootCause(follower.events)?.path).to.deep.equal(['Service']);
    });

    it('starts at the operation in progress when asked, so that its earlier events are reported', async () => {
      const older = ev('app', 'UPDATE_COMPLETE');
      const start = ev('app', 'UPDATE_IN_PROGRESS', 'User Initiated');
      const queue = ev('Queue', 'UPDATE_IN_PROGRESS');
      cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [queue, start, older] });
      const follower = new StackEventFollower(scripted.aws.cloudFormation(), ROOT);

      await follower.startAtCurrentOperation();
      const events = await follower.poll();

      expect(events.map((e) => e.event.EventId)).to.deep.equal([start.EventId, queue.EventId]);
    });
  });
});

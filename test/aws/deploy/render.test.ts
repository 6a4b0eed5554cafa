import { expect } from 'chai';
import type { ChangeNode } from '../../../src/aws/deploy/changeset';
import {
  countChanges,
  describeFailure,
  EventView,
  formatEvent,
  renderChangeSet,
  renderOutputs,
  renderParameters,
} from '../../../src/aws/deploy/render';
import { memoryIO } from '../../../src/io';

const node = (
  Action: string,
  LogicalResourceId: string,
  ResourceType: string,
  extra: object = {},
  children: ChangeNode[] = [],
): ChangeNode => ({
  change: { Action: Action as never, LogicalResourceId, ResourceType, ...extra },
  children,
});

const tree: ChangeNode[] = [
  node('Add', 'Bucket', 'AWS::S3::Bucket'),
  node('Modify', 'Table', 'AWS::DynamoDB::Table', { Replacement: 'True' }),
  node('Remove', 'Old', 'AWS::SNS::Topic'),
  node('Modify', 'Service', 'AWS::CloudFormation::Stack', { ChangeSetId: 'arn:nested' }, [
    node('Add', 'Fn', 'AWS::Lambda::Function'),
    node('Modify', 'Stream', 'AWS::KinesisFirehose::DeliveryStream', { Replacement: 'Conditional' }),
  ]),
];

describe('deploy rendering', () => {
  it('counts changes across nested stacks, counting a nested stack through its own changes', () => {
    expect(countChanges(tree)).to.deep.equal({ add: 2, modify: 2, remove: 1, replace: 2, other: 0 });
  });

  it('lists every change with its action and replacement, nested changes indented under their stack', () => {
    const text = renderChangeSet('change set cs for stack app:', tree, false);
    const lines = text.split('\n');
    expect(lines[0]).to.equal('change set cs for stack app:');
    expect(lines.find((l) => l.includes('Table'))).to.match(/^ {2}~ Modify +Table +AWS::DynamoDB::Table +replacement$/);
    expect(lines.find((l) => l.includes('Old'))).to.match(/^ {2}- Remove +Old +AWS::SNS::Topic$/);
    expect(lines.find((l) => l.includes(' Fn '))).to.match(/^ {2}\+ Add +  Fn +AWS::Lambda::Function$/);
    expect(lines.find((l) => l.includes('Stream'))).to.match(/may be replaced$/);
    expect(text).to.contain('2 to add, 2 to modify (2 replaced), 1 to remove');
  });

  it('says so when a change set changes no resource', () => {
    expect(renderChangeSet('cs:', [], false)).to.contain('no resource changes');
  });

  it('shows NoEcho values as **** whether sent or kept', () => {
    const text = renderParameters([
      { name: 'Token', noEcho: true, value: 'secret-token', usePrevious: false },
      { name: 'Key', noEcho: true, usePrevious: true },
      { name: 'Branch', noEcho: false, value: 'dev', usePrevious: false, previous: 'master' },
    ]);
    expect(text).not.to.contain('secret-token');
    expect(text).to.contain('Token   ****\n');
    expect(text).to.contain('Key     **** (kept)\n');
    expect(text).to.contain('Branch  "master" -> "dev"\n');
  });

  it('prints outputs one per line', () => {
    expect(renderOutputs({ A: '1', B: 'two' })).to.equal('A: 1\nB: two\n');
  });

  it('names an event by its path of logical ids from the root stack', () => {
    const e = {
      path: ['Service'],
      event: {
        StackId: 's',
        EventId: 'e',
        StackName: 'n',
        Timestamp: new Date('2024-01-02T03:04:05Z'),
        LogicalResourceId: 'Fn',
        ResourceType: 'AWS::Lambda::Function',
        ResourceStatus: 'CREATE_FAILED' as const,
        ResourceStatusReason: 'role is invalid',
      },
    };
    expect(formatEvent(e, false)).to.match(
      /^03:04:05 {2}CREATE_FAILED +Service\/Fn {2}AWS::Lambda::Function {2}role is invalid$/,
    );
    expect(describeFailure(e)).to.equal('Service/Fn (AWS::Lambda::Function) CREATE_FAILED: role is invalid');
  });

  describe('EventView', () => {
    const event = (status: string, id = 'Queue') => ({
      path: [],
      event: {
        StackId: 's',
        EventId: status,
        StackName: 'app',
        Timestamp: new Date(),
        LogicalResourceId: id,
        PhysicalResourceId: 'p',
        ResourceType: 'AWS::SQS::Queue',
        ResourceStatus: status as never,
      },
    });

    it('writes plain lines without control characters when not on a terminal', () => {
      const io = memoryIO({ interactive: false });
      const view = new EventView(io, 'app');
      view.events([event('CREATE_IN_PROGRESS'), event('CREATE_COMPLETE')]);
      view.stack({ StackName: 'app', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() });
      view.close();
      expect(io.stderr.split('\n').filter(Boolean)).to.have.length(2);
      expect(io.stderr).not.to.contain('\u001b');
      expect(io.stderr).not.to.contain('\r');
    });

    it('keeps a status line under the events on a terminal and clears it at the end', () => {
      const io = memoryIO({ interactive: true });
      const view = new EventView(io, 'app');
      view.events([event('CREATE_IN_PROGRESS')]);
      expect(io.stderr).to.match(/app .*1 in progress: Queue \(0m0\ds\)$/);
      view.close();
      expect(io.stderr.endsWith('\r\u001b[2K')).to.equal(true);
    });
  });
});

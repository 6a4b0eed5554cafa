import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeStacksCommand, ListChangeSetsCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { deploy, formatDeploy } from '../../../src/aws/deploy';
import { AbortError, UsageError } from '../../../src/errors';
import { memoryIO, type IO } from '../../../src/io';
import { failure } from '../../support/failure';
import { fixtureTemplate, useFixtureDeployment, useLocalAws } from '../fixtures';
import { localClients } from '../mocks';

/** Forwards requests to `target`, answering the first `count` whose body contains `match` with a Throttling error. */
async function throttlingProxy(target: string, match: string, count: number) {
  const state = { throttled: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (state.throttled < count && body.toString().includes(match)) {
        state.throttled++;
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>throttled</RequestId></ErrorResponse>',
        );
        return;
      }
      const forward = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (e) => res.destroy(e));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get throttled() {
      return state.throttled;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('deploy (against a local CloudFormation)', () => {
  const local = useLocalAws();
  /** An IO host whose clients are on moto. */
  const motoIO = (overrides: Partial<Omit<IO, 'out' | 'err'>> = {}) => memoryIO({ aws: local.aws, ...overrides });
  const fixture = useFixtureDeployment();
  const { options } = fixture;
  const status = async () =>
    (await local.cfn.send(new DescribeStacksCommand({ StackName: 'fixture' }))).Stacks?.[0]?.StackStatus;
  const changeSets = async () =>
    (await local.cfn.send(new ListChangeSetsCommand({ StackName: 'fixture' }))).Summaries ?? [];

  it('creates a stack that does not exist through a CREATE change set', async () => {
    const io = motoIO();
    const result = await deploy(options(), io);
    expect(result).to.include({ outcome: 'executed', stackStatus: 'CREATE_COMPLETE' });
    expect(result.changes).to.include({ add: 2, modify: 0, remove: 0 });
    expect(await status()).to.equal('CREATE_COMPLETE');
    expect(io.stderr).to.match(
      /change set dataless-\S+ \(CREATE\) for stack fixture:\n {2}\+ Add +Queue +AWS::SQS::Queue\n/,
    );
    expect(io.stderr).to.contain('CREATE_COMPLETE');
  });

  it('deletes a change set without changes and succeeds, saying there are no changes', async () => {
    await deploy(options(), motoIO());
    const io = motoIO();
    const result = await deploy(options(), io);
    expect(result.outcome).to.equal('no-changes');
    expect(io.stderr).to.contain('no changes: stack fixture is up to date');
    // moto keeps executed change sets (CloudFormation deletes them); none may be left waiting.
    expect((await changeSets()).filter((c) => c.ExecutionStatus === 'AVAILABLE')).to.deep.equal([]);
    expect(await status()).to.equal('CREATE_COMPLETE');
  });

  it('updates an existing stack through an UPDATE change set, keeping the NoEcho value', async () => {
    await deploy(options(), motoIO());
    writeFileSync(fixture.template, fixtureTemplate('  StoreName: {Value: !Ref Store}'));
    const io = motoIO();
    const result = await deploy(options(), io);
    expect(result).to.include({ outcome: 'executed', stackStatus: 'UPDATE_COMPLETE' });
    expect(io.stderr).to.contain('(UPDATE) for stack fixture');
    expect(io.stderr).to.contain('Greeting  **** (kept)');
    expect(await status()).to.equal('UPDATE_COMPLETE');
  });

  it('leaves the change set for review without executing it, and its text form is its name', async () => {
    const io = motoIO();
    const result = await deploy(options({ execute: false }), io);
    expect(result.outcome).to.equal('not-executed');
    expect(io.stdout, 'the action writes no result').to.equal('');
    expect(formatDeploy(result)).to.equal(`${result.changeSetName}\n`);
    const left = await changeSets();
    expect(left.map((c) => c.ChangeSetName)).to.deep.equal([result.changeSetName]);
    expect(left[0]?.ExecutionStatus).to.equal('AVAILABLE');
    expect(await status()).to.equal('REVIEW_IN_PROGRESS');
  });

  it('never waits for input without a terminal: without --yes it stops, names the change set and leaves it', async () => {
    const io = motoIO({ canPrompt: false });
    let asked = false;
    const error = await failure(deploy(options({ yes: false, confirm: async () => (asked = true) }), io));
    expect(error).to.be.instanceOf(AbortError);
    const left = await changeSets();
    expect(left).to.have.length(1);
    expect(error.message).to.contain(`not executing change set ${left[0]!.ChangeSetName} for stack fixture`);
    expect(error.message).to.contain('--yes');
    expect(asked).to.equal(false);
  });

  it('asks on a terminal and executes on yes', async () => {
    const questions: string[] = [];
    const result = await deploy(
      options({ yes: false, confirm: async (q) => (questions.push(q), true) }),
      motoIO({ canPrompt: true }),
    );
    expect(questions).to.have.length(1);
    expect(questions[0]).to.match(
      /^execute change set dataless-\S+ on stack fixture \(2 to add, 0 to modify, 0 to remove\)\? \[y\/N\] $/,
    );
    expect(result.outcome).to.equal('executed');
  });

  it('asks on a terminal and leaves the change set on no', async () => {
    const error = await failure(
      deploy(options({ yes: false, confirm: async () => false }), motoIO({ canPrompt: true })),
    );
    expect(error).to.be.instanceOf(AbortError).with.property('code', 'DECLINED');
    expect(await changeSets()).to.have.length(1);
  });

  it('treats a stack left in REVIEW_IN_PROGRESS by an unexecuted CREATE change set as not existing', async () => {
    await deploy(options({ execute: false }), motoIO());
    const io = motoIO();
    const result = await deploy(options(), io);
    // An UPDATE change set would be refused on such a stack.
    expect(io.stderr).to.contain('(CREATE) for stack fixture');
    // moto makes a second stack of that name rather than reusing the first, so the result is what is checked.
    expect(result).to.include({ outcome: 'executed', stackStatus: 'CREATE_COMPLETE' });
  });

  it('uploads a template over the inline limit to the bucket and passes it by URL', async () => {
    const s3 = local.aws.s3();
    await s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
    writeFileSync(fixture.template, `${fixtureTemplate()}\nMetadata:\n  Padding: ${'x'.repeat(60_000)}\n`);
    const io = motoIO();
    const result = await deploy(options({ bucket: 'templates', prefix: 'cfn' }), io);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'templates' }));
    s3.destroy();
    expect(result.stackStatus).to.equal('CREATE_COMPLETE');
    expect((listed.Contents ?? []).map((o) => o.Key))
      .to.have.length(1)
      .and.to.satisfy((keys: string[]) => /^cfn\/templates\/[0-9a-f]{64}\.yaml$/.test(keys[0]!));
    expect(io.stderr).to.contain('over the inline limit');
  });

  it('comes through throttling: the SDK retries throttled calls with backoff and the deployment finishes', async () => {
    // A loopback proxy answers the first two DescribeStacks calls as CloudFormation does when throttling, then passes on to moto.
    const proxy = await throttlingProxy(local.server.endpoint, 'Action=DescribeStacks', 2);
    try {
      const result = await deploy(options(), memoryIO({ aws: localClients(proxy.endpoint) }));
      expect(result.stackStatus).to.equal('CREATE_COMPLETE');
      expect(proxy.throttled).to.equal(2);
    } finally {
      await proxy.close();
    }
  });

  it('refuses a template over the inline limit when there is no bucket to upload it to', async () => {
    writeFileSync(fixture.template, `${fixtureTemplate()}\nMetadata:\n  Padding: ${'x'.repeat(60_000)}\n`);
    const error = await failure(deploy(options(), motoIO()));
    expect(error).to.be.instanceOf(UsageError);
    expect(error.message).to.match(
      /fixture\.yaml is \d+ bytes, over the 51200-byte limit of an inline template: pass --bucket/,
    );
  });
});

// Moto's Firehose accepts every record, so it cannot show partial failures;
// these tests alone mock the FirehoseClient (aws-sdk-client-mock) and drive the
// capture code from source to see which records each PutRecordBatch carried.
import { FirehoseClient, PutRecordBatchCommand, type PutRecordBatchCommandInput } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { captureBatch } from '../../src/lambdas/shared/capture';
import { deliverRecords, MAX_RECORD_BYTES } from '../../src/lambdas/shared/firehose';
import { IMPRESSIONS } from '../../src/lambdas/shared/records';
import { DEFAULT_RETRY } from '../../src/lambdas/shared/retry';

function impression(n: number) {
  return { impression_id: `imp-${n}`, ad_id: 'ad-1', occurred_at: '2024-03-01 00:00:00' };
}

/** The impression ids one PutRecordBatch call carried. */
function idsOf(input: PutRecordBatchCommandInput): string[] {
  return (input.Records ?? []).map((r) => JSON.parse(Buffer.from(r.Data!).toString('utf8')).impression_id);
}

const FAILED = { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'slow down' };

describe('capture delivery retries (FirehoseClient mocked)', function () {
  const client = new FirehoseClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const firehose = mockClient(client);
  let delays: number[];
  const sleep = async (ms: number) => void delays.push(ms);

  beforeEach(function () {
    firehose.reset();
    delays = [];
  });

  after(function () {
    firehose.restore();
  });

  it('retries only the records a call reported failed, until they are accepted', async function () {
    // given: the first call fails the second record, the retry accepts it
    const calls: string[][] = [];
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
      const ids = idsOf(input);
      calls.push(ids);
      const failing = calls.length === 1 ? ['imp-1'] : [];
      return {
        FailedPutCount: failing.length,
        RequestResponses: ids.map((id) => (failing.includes(id) ? FAILED : { RecordId: `r-${id}` })),
      };
    });

    // when
    const result = await captureBatch([impression(0), impression(1), impression(2)], IMPRESSIONS, {
      client,
      streamName: 'impressions',
      sleep,
    });

    // then
    expect(calls).to.deep.equal([['imp-0', 'imp-1', 'imp-2'], ['imp-1']]);
    expect(result).to.deep.equal({
      failed_count: 0,
      records: [{ failed: false }, { failed: false }, { failed: false }],
    });
    expect(delays).to.have.length(1);
    expect(delays[0]).to.be.within(0, DEFAULT_RETRY.baseDelayMs);
  });

  it('reports a record that still fails after the last attempt as failed, with the Firehose error', async function () {
    // given: imp-1 is refused every time
    const calls: string[][] = [];
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
      const ids = idsOf(input);
      calls.push(ids);
      return {
        FailedPutCount: ids.filter((id) => id === 'imp-1').length,
        RequestResponses: ids.map((id) => (id === 'imp-1' ? FAILED : { RecordId: `r-${id}` })),
      };
    });

    // when
    const result = await captureBatch([impression(0), impression(1)], IMPRESSIONS, {
      client,
      streamName: 'impressions',
      sleep,
      random: () => 0.999,
    });

    // then: four calls in all, the retries carrying only imp-1, with growing but bounded delays
    expect(calls).to.deep.equal([['imp-0', 'imp-1'], ['imp-1'], ['imp-1'], ['imp-1']]);
    expect(result.failed_count).to.equal(1);
    expect(result.records[0]).to.deep.equal({ failed: false });
    expect(result.records[1]).to.deep.equal({
      failed: true,
      error_code: 'ServiceUnavailableException',
      error_message: 'slow down',
    });
    expect(delays).to.deep.equal([49, 99, 199]);
  });

  it('fails every record of a call that throws, without retrying it again', async function () {
    // given: the SDK gave up on the call (its own retries are behind this rejection)
    const error = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { requestId: 'req-7' },
    });
    firehose.on(PutRecordBatchCommand).rejects(error);

    // when
    const result = await captureBatch([impression(0), { ad_id: 3 }, impression(2)], IMPRESSIONS, {
      client,
      streamName: 'impressions',
      sleep,
    });

    // then
    expect(firehose.commandCalls(PutRecordBatchCommand)).to.have.length(1);
    expect(result.failed_count).to.equal(3);
    expect(result.records[0]).to.deep.equal({
      failed: true,
      error_code: 'ThrottlingException',
      error_message: 'Rate exceeded (request id req-7)',
    });
    expect(result.records[1]).to.deep.include({ error_code: 'InvalidRecord' });
    expect(result.records[2]).to.deep.include({ error_code: 'ThrottlingException' });
  });

  it('reports records Firehose left unanswered as failed rather than delivered', async function () {
    // given: a malformed answer that always leaves out the last record
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({
      FailedPutCount: 0,
      RequestResponses: (input.Records ?? []).slice(1).map((_, i) => ({ RecordId: `r-${i}` })),
    }));

    // when
    const outcomes = await deliverRecords({
      client,
      streamName: 'impressions',
      records: [Buffer.from('a\n'), Buffer.from('b\n')],
      sleep,
    });

    // then
    expect(outcomes[0]).to.deep.equal({ failed: false });
    expect(outcomes[1]).to.deep.equal({
      failed: true,
      errorCode: 'MissingResponse',
      errorMessage: 'firehose answered 0 of 1 records',
    });
    expect(firehose.commandCalls(PutRecordBatchCommand)).to.have.length(DEFAULT_RETRY.maxAttempts);
  });

  it('starts no retry when the invocation is about to run out of time', async function () {
    // given
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 1, RequestResponses: [FAILED] });

    // when
    const outcomes = await deliverRecords({
      client,
      streamName: 'impressions',
      records: [Buffer.from('a\n')],
      sleep,
      remainingMs: () => 900,
    });

    // then
    expect(firehose.commandCalls(PutRecordBatchCommand)).to.have.length(1);
    expect(delays).to.deep.equal([]);
    expect(outcomes[0]).to.deep.include({ failed: true, errorCode: 'ServiceUnavailableException' });
  });

  it('splits records into calls of at most 4 MiB', async function () {
    // given: ten records of 500 KiB; eight fit in 4 MiB
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({
      FailedPutCount: 0,
      RequestResponses: (input.Records ?? []).map((_, i) => ({ RecordId: `r-${i}` })),
    }));
    const records = Array.from({ length: 10 }, () => Buffer.alloc(500 * 1024, 0x61));

    // when
    const outcomes = await deliverRecords({ client, streamName: 'impressions', records, sleep, concurrency: 1 });

    // then
    const sizes = firehose.commandCalls(PutRecordBatchCommand).map((call) => call.args[0].input.Records!.length);
    expect(sizes).to.deep.equal([8, 2]);
    expect(outcomes.every((o) => !o.failed)).to.equal(true);
  });

  it('refuses a record over the Firehose record limit before sending anything', async function () {
    // when
    const error = await deliverRecords({
      client,
      streamName: 'impressions',
      records: [Buffer.alloc(MAX_RECORD_BYTES + 1)],
      sleep,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );

    // then
    expect(error).to.be.instanceOf(RangeError);
    expect((error as Error).message).to.equal('record 0 is 1024001 bytes; firehose accepts at most 1024000');
    expect(firehose.commandCalls(PutRecordBatchCommand)).to.have.length(0);
  });
});

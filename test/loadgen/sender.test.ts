import { expect } from 'chai';
import { memoryIO } from '../../src/io';
import { Progress } from '../../src/loadgen/progress';
import { endpointUrl, Sender, type SenderOptions } from '../../src/loadgen/sender';
import { SeededRandom } from '../../src/loadgen/random';
import { acceptAll, recordsOn, startCaptureServer, type CaptureServer } from './capture-server';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const AT = Date.UTC(2024, 4, 1, 12, 0, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('loadgen sender', () => {
  let server: CaptureServer;
  let sender: Sender | undefined;
  let io: ReturnType<typeof memoryIO>;
  const random = new SeededRandom(5);

  beforeEach(async () => {
    server = await startCaptureServer();
    io = memoryIO();
  });

  afterEach(async () => {
    sender?.close();
    sender = undefined;
    await server.close();
  });

  function makeSender(options: Partial<SenderOptions> = {}): Sender {
    sender = new Sender(
      { baseUrl: `${server.url}/Prod`, concurrency: 4, flushIntervalMs: 1000, requestTimeoutMs: 5000, ...options },
      new Progress(io),
    );
    sender.setTime(AT);
    return sender;
  }

  /** Adds `n` impressions and returns their ids and tokens. */
  function impressions(s: Sender, n: number): { id: string; ad: string; token: number }[] {
    return Array.from({ length: n }, () => {
      const id = random.uuid();
      const ad = random.uuid();
      return { id, ad, token: s.impression(id, ad, AT) };
    });
  }

  it('posts batches of at most 500 records to BaseURL/impressions', async () => {
    // given
    const s = makeSender();
    // when
    impressions(s, 1234);
    await s.drain();
    // then
    expect(server.received.map((r) => r.path)).to.deep.equal([
      '/Prod/impressions',
      '/Prod/impressions',
      '/Prod/impressions',
    ]);
    const sizes = server.received
      .map((r) => (r.body as { impressions: unknown[] }).impressions.length)
      .sort((a, b) => b - a);
    expect(sizes).to.deep.equal([500, 500, 234]);
    expect(s.stats().impressions).to.deep.equal({
      records: 1234,
      batches: 3,
      acceptedBatches: 3,
      transportErrors: 0,
      badAnswers: 0,
      failedRecords: 0,
    });
    expect(io.stderr).to.equal('...');
  });

  it("sends the capture API's record fields, occurred_at in ISO 8601 UTC", async () => {
    // given
    const s = makeSender();
    const [first] = impressions(s, 1);
    // when
    s.click('0b7c1a3e-1111-4222-8333-444455556666', first!.id, first!.ad, AT + 1500, first!.token);
    await s.drain();
    // then
    const impressionBody = server.received.find((r) => r.path.endsWith('/impressions'))!.body;
    const clickBody = server.received.find((r) => r.path.endsWith('/clicks'))!.body;
    expect(Object.keys(impressionBody as object)).to.deep.equal(['impressions']);
    expect(Object.keys(clickBody as object)).to.deep.equal(['clicks']);
    expect(recordsOn(server, 'impressions')).to.deep.equal([
      { impression_id: first!.id, ad_id: first!.ad, occurred_at: '2024-05-01T12:00:00.000Z' },
    ]);
    expect(recordsOn(server, 'clicks')).to.deep.equal([
      {
        click_id: '0b7c1a3e-1111-4222-8333-444455556666',
        impression_id: first!.id,
        ad_id: first!.ad,
        occurred_at: '2024-05-01T12:00:01.500Z',
      },
    ]);
    expect(recordsOn(server, 'clicks')[0]!.occurred_at).to.match(ISO_UTC);
  });

  it('holds a partial batch until its oldest record is one flush interval old', async () => {
    // given
    const s = makeSender({ flushIntervalMs: 1000 });
    impressions(s, 10);
    // when half the interval has passed
    s.flushStale(AT + 500);
    await sleep(50);
    // then nothing was sent
    expect(server.received).to.have.length(0);
    // when the interval is up
    s.flushStale(AT + 1000);
    await s.drain();
    // then
    expect(recordsOn(server, 'impressions')).to.have.length(10);
  });

  it('sends the partial batches when drained', async () => {
    // given
    const s = makeSender({ flushIntervalMs: 60_000 });
    const seen = impressions(s, 7);
    s.click(random.uuid(), seen[0]!.id, seen[0]!.ad, AT, seen[0]!.token);
    // when
    await s.drain();
    // then
    expect(recordsOn(server, 'impressions')).to.have.length(7);
    expect(recordsOn(server, 'clicks')).to.have.length(1);
  });

  it('posts a clicks batch only after the impressions it refers to were answered', async () => {
    // given an API slow to answer impressions, and small batches
    server.respond = async (path, body) => {
      if (path.endsWith('/impressions')) await sleep(20);
      return acceptAll(path, body);
    };
    const s = makeSender({ batchSize: 10, concurrency: 8 });
    // when impressions and clicks on them interleave
    for (let round = 0; round < 12; round++) {
      const seen = impressions(s, 4);
      for (const i of seen) s.click(random.uuid(), i.id, i.ad, AT, i.token);
    }
    await s.drain();
    // then every click arrived after the batch holding its impression was answered
    const answeredAt = new Map<string, number>();
    for (const r of server.received.filter((x) => x.path.endsWith('/impressions'))) {
      for (const rec of (r.body as { impressions: { impression_id: string }[] }).impressions)
        answeredAt.set(rec.impression_id, r.answered);
    }
    const clickBatches = server.received.filter((x) => x.path.endsWith('/clicks'));
    expect(clickBatches.length).to.be.at.least(4);
    for (const batch of clickBatches) {
      for (const click of (batch.body as { clicks: { impression_id: string }[] }).clicks) {
        expect(answeredAt.get(click.impression_id), click.impression_id).to.be.lessThan(batch.order);
      }
    }
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    // given an API that takes a while to answer
    server.respond = async (path, body) => {
      await sleep(30);
      return acceptAll(path, body);
    };
    const s = makeSender({ batchSize: 10, concurrency: 3 });
    // when 20 batches are ready at once
    impressions(s, 200);
    await s.drain();
    // then
    expect(server.received).to.have.length(20);
    expect(server.maxConcurrent).to.equal(3);
  });

  it('reports a backlog of batches waiting for a connection', async () => {
    // given
    server.respond = async (path, body) => {
      await sleep(30);
      return acceptAll(path, body);
    };
    const s = makeSender({ batchSize: 10, concurrency: 2 });
    // when
    impressions(s, 100);
    // then
    expect(s.backlog).to.equal(8);
    await s.drain();
    expect(s.backlog).to.equal(0);
  });

  describe('counts as failed', () => {
    it('a batch answered with a status other than 200 (F), with the status on stderr', async () => {
      // given
      server.respond = () => ({ status: 500, body: '{"error":"internal error (request abc)"}' });
      const s = makeSender();
      // when
      impressions(s, 20);
      await s.drain();
      // then
      expect(s.stats().impressions).to.include({ records: 20, badAnswers: 1, acceptedBatches: 0, failedRecords: 20 });
      expect(io.stderr).to.equal(
        `F\nimpressions: POST ${server.url}/Prod/impressions answered 500 Internal Server Error: {"error":"internal error (request abc)"}\n`,
      );
    });

    for (const [what, body, reason] of [
      ['a body that is not JSON', '<html>gateway</html>', 'the body is not JSON'],
      ['a body without records', '{"failed_count":0}', 'the body has no "records" list'],
      [
        'a records list of the wrong length',
        '{"failed_count":0,"records":[{"failed":false}]}',
        '"records" has 1 entries for the 3 records sent',
      ],
      ['a record without a failed flag', '{"records":[{},{},{}]}', 'records[0] has no boolean "failed"'],
      [
        'a failed_count that disagrees with the records',
        '{"failed_count":2,"records":[{"failed":false},{"failed":false},{"failed":true}]}',
        '"failed_count" is 2 but 1 records are marked failed',
      ],
    ] as const) {
      it(`a 200 answer with ${what} (F)`, async () => {
        // given
        server.respond = () => ({ status: 200, body });
        const s = makeSender();
        // when
        impressions(s, 3);
        await s.drain();
        // then
        expect(s.stats().impressions).to.include({ badAnswers: 1, failedRecords: 3 });
        expect(io.stderr).to.match(/^F\n/);
        expect(io.stderr).to.contain(`answered 200 but ${reason}`);
      });
    }

    it('a batch that gets no answer because the connection is refused (E)', async () => {
      // given a port nobody listens on
      const url = server.url;
      await server.close();
      server = await startCaptureServer();
      sender = new Sender(
        { baseUrl: url, concurrency: 2, flushIntervalMs: 1000, requestTimeoutMs: 5000 },
        new Progress(io),
      );
      // when
      impressions(sender, 5);
      await sender.drain();
      // then
      expect(sender.stats().impressions).to.include({ transportErrors: 1, failedRecords: 5, acceptedBatches: 0 });
      expect(io.stderr).to.match(/^E\nimpressions: POST http:\/\/127\.0\.0\.1:\d+\/impressions failed: .*ECONNREFUSED/);
    });

    it('a batch with no answer within the request timeout (E)', async () => {
      // given an API that never answers
      server.respond = () => new Promise(() => {});
      const s = makeSender({ requestTimeoutMs: 100 });
      // when
      impressions(s, 5);
      await s.drain();
      // then
      expect(s.stats().impressions).to.include({ transportErrors: 1, failedRecords: 5 });
      expect(io.stderr).to.contain('failed: no answer within 100 ms');
    });

    it('the records an accepted batch marks failed, grouped by error code', async () => {
      // given
      server.respond = (_path, body) => {
        const records = (body as { impressions: unknown[] }).impressions.map((_, i) =>
          i < 2
            ? { failed: true, error_code: 'ServiceUnavailableException', error_message: 'Slow down.' }
            : { failed: false },
        );
        return { status: 200, body: JSON.stringify({ failed_count: 2, records }) };
      };
      const s = makeSender();
      // when
      impressions(s, 6);
      await s.drain();
      // then the batch is accepted, two of its records are not
      expect(s.stats().impressions).to.include({ acceptedBatches: 1, failedRecords: 2, badAnswers: 0 });
      expect(io.stderr).to.equal(
        '.\nimpressions: 2 of 6 records failed: ServiceUnavailableException ×2 (Slow down.)\n',
      );
    });
  });

  it('appends the endpoint to the base URL path, with or without a trailing slash', () => {
    // given / when / then
    expect(endpointUrl('https://abc.execute-api.us-east-1.amazonaws.com/Prod', 'clicks').href).to.equal(
      'https://abc.execute-api.us-east-1.amazonaws.com/Prod/clicks',
    );
    expect(endpointUrl('https://api.example.com/advertising/', 'impressions').href).to.equal(
      'https://api.example.com/advertising/impressions',
    );
    expect(endpointUrl('http://127.0.0.1:8080', 'impressions').href).to.equal('http://127.0.0.1:8080/impressions');
  });
});

import { expect } from 'chai';
import { memoryIO } from '../../src/io';
import {
  assertAccepted,
  formatLoadgen,
  LoadFailedError,
  ManualClock,
  runLoad,
  type LoadgenResult,
} from '../../src/loadgen';
import type { LoadgenConfig, UsersConfig } from '../../src/loadgen/config';
import { thrown } from '../support/failure';
import { acceptAll, recordsOn, startCaptureServer, type CaptureServer } from './capture-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function config(server: CaptureServer, durationMs: number, users: Partial<UsersConfig> = {}): LoadgenConfig {
  return {
    file: 'test.yaml',
    baseUrl: `${server.url}/Prod`,
    durationMs,
    adsCount: 100,
    users: {
      count: 100,
      clickthroughProbability: 0.3,
      viewFrequencyMs: 50,
      viewVariance: 0.1,
      considerDurationMs: 0,
      considerVariance: 0,
      ...users,
    },
  };
}

describe('loadgen run', () => {
  let server: CaptureServer;

  beforeEach(async () => {
    server = await startCaptureServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('replays a run exactly on a manual clock', async () => {
    // given 50 users viewing every 100 ms, each considering 20 ms, for 1 s
    const clock = new ManualClock();
    const io = memoryIO();
    const users = { count: 50, viewFrequencyMs: 100, viewVariance: 0, considerDurationMs: 20 };
    // when the clock is walked through the second
    const run = runLoad(config(server, 1000, users), { clock, seed: 11, tickMs: 10 }, io);
    const end = clock.now() + 1000;
    while (clock.now() < end) {
      clock.advance(10);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await run;
    // then each user viewed ten ads, and everything generated reached the API
    expect(result.impressions.records).to.equal(500);
    expect(recordsOn(server, 'impressions')).to.have.length(500);
    expect(recordsOn(server, 'clicks')).to.have.length(result.clicks.records);
    expect(result.clicks.records / 500).to.be.within(0.22, 0.38);
    expect(result.elapsedMs).to.equal(1000);
    // and the occurred_at stamps fall within the simulated second
    const start = end - 1000;
    for (const r of [...recordsOn(server, 'impressions'), ...recordsOn(server, 'clicks')]) {
      const at = Date.parse(r.occurred_at!);
      expect(at).to.be.within(start, end);
    }
  });

  it('stops on time, flushes the partial batches and returns the run, whose text form is the summary', async () => {
    // given
    const io = memoryIO();
    // when
    const started = Date.now();
    const result = await runLoad(config(server, 400), { flushIntervalMs: 60_000 }, io);
    const took = Date.now() - started;
    // then it ran for its duration and not much longer
    expect(took).to.be.within(390, 3000);
    expect(result.interrupted).to.equal(false);
    // and every record it generated arrived, though none filled a batch of 500 on its own clock
    expect(recordsOn(server, 'impressions')).to.have.length(result.impressions.records);
    expect(recordsOn(server, 'clicks')).to.have.length(result.clicks.records);
    expect(result.impressions.records).to.be.within(600, 900);
    // and the run is returned, not printed: the summary is its text form
    expect(io.stdout).to.equal('');
    const summary = formatLoadgen(result);
    expect(summary).to.contain(
      `records sent:  ${(result.impressions.records + result.clicks.records).toLocaleString('en-US')}`,
    );
    expect(summary).to.contain('failed:        0 (0 impressions, 0 clicks)');
    expect(summary).to.match(/clickthrough:  \d+\.\d% observed \(30\.0% configured\)/);
    expect(io.stderr).to.match(
      /^loadgen: 100 users, 100 ads, about 2600 records\/s for 400ms to http:\/\/127\.0\.0\.1:\d+\/Prod/,
    );
    expect(io.stderr).to.match(/\n\.+\n$/);
    expect(() => assertAccepted(result)).to.not.throw();
  });

  it('clicks at the configured rate, within a tolerance', async () => {
    // given 200 users viewing every 20 ms and clicking at once
    const io = memoryIO();
    // when
    const result = await runLoad(config(server, 500, { count: 200, viewFrequencyMs: 20 }), {}, io);
    // then
    const ctr = recordsOn(server, 'clicks').length / recordsOn(server, 'impressions').length;
    expect(result.impressions.records).to.be.greaterThan(3000);
    expect(ctr).to.be.within(0.27, 0.33);
  });

  it('sends clicks only for impressions the API has already answered', async () => {
    // given an API that answers impressions slowly
    server.respond = async (path, body) => {
      if (path.endsWith('/impressions')) await sleep(15);
      return acceptAll(path, body);
    };
    // when
    await runLoad(config(server, 500, { considerDurationMs: 5 }), { flushIntervalMs: 50 }, memoryIO());
    // then
    const answered = new Map<string, number>();
    for (const r of server.received.filter((x) => x.path.endsWith('/impressions'))) {
      for (const i of (r.body as { impressions: { impression_id: string }[] }).impressions)
        answered.set(i.impression_id, r.answered);
    }
    const clickBatches = server.received.filter((x) => x.path.endsWith('/clicks'));
    expect(clickBatches.length).to.be.greaterThan(3);
    for (const batch of clickBatches) {
      for (const c of (batch.body as { clicks: { impression_id: string }[] }).clicks) {
        expect(answered.get(c.impression_id)).to.be.lessThan(batch.order);
      }
    }
  });

  it('stops early when signalled, still delivering what was generated', async () => {
    // given a run meant to last a minute
    const controller = new AbortController();
    const io = memoryIO();
    // when it is interrupted after 300 ms
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await runLoad(config(server, 60_000), { signal: controller.signal }, io);
    // then
    expect(Date.now() - started).to.be.lessThan(2000);
    expect(result.interrupted).to.equal(true);
    expect(result.impressions.records).to.be.greaterThan(0);
    expect(recordsOn(server, 'impressions')).to.have.length(result.impressions.records);
    expect(io.stderr).to.contain('loadgen: interrupted; sending the partial batches and waiting for the answers');
    expect(formatLoadgen(result)).to.contain('stopped:       interrupted before the configured duration');
  });

  it('counts failing answers and refuses the run afterwards with exit status 1', async () => {
    // given an API that refuses clicks
    server.respond = (path, body) =>
      path.endsWith('/clicks') ? { status: 502, body: 'bad gateway' } : acceptAll(path, body);
    const io = memoryIO();
    // when
    const result = await runLoad(config(server, 300), { flushIntervalMs: 100 }, io);
    // then
    expect(result.clicks.badAnswers).to.be.greaterThan(0);
    expect(result.clicks.failedRecords).to.equal(result.clicks.records);
    expect(result.impressions.failedRecords).to.equal(0);
    expect(io.stderr).to.contain('F');
    expect(io.stderr).to.contain('answered 502 Bad Gateway: bad gateway');
    expect(formatLoadgen(result)).to.contain(
      `failed:        ${result.clicks.records} (0 impressions, ${result.clicks.records} clicks)`,
    );
    const error = thrown(() => assertAccepted(result));
    expect(error).to.be.instanceOf(LoadFailedError);
    expect((error as LoadFailedError).exitCode).to.equal(1);
    // and the failure carries the run, for the CLI to show its summary before the error
    expect((error as LoadFailedError).result).to.equal(result);
    expect((error as Error).message).to.match(/^\d+ of \d+ records were not accepted; the messages above say why/);
  });

  it('holds the users back while the API cannot keep up', async () => {
    // given one connection to an API that takes 100 ms an answer, and far more load than that carries
    server.respond = async (path, body) => {
      await sleep(100);
      return acceptAll(path, body);
    };
    const io = memoryIO();
    // when
    const result: LoadgenResult = await runLoad(
      config(server, 600, { count: 2000, viewFrequencyMs: 10 }),
      { concurrency: 1, flushIntervalMs: 50 },
      io,
    );
    // then the users were paused rather than piling up batches
    expect(result.pausedMs).to.be.greaterThan(0);
    expect(formatLoadgen(result)).to.contain('paused:');
    expect(result.impressions.batches + result.clicks.batches).to.be.lessThan(40);
  });
});

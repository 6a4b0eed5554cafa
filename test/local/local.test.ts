// The end-to-end test of `dataless local`: records posted to the local API
// travel through the stand-in's delivery streams, the raw area, the lake and
// the daily batch into the ad traffic table, and come back out of the
// traffic API with the counts this test computed itself.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { localIO } from './io';
import { batch, formatBatch } from '../../src/local/batch';
import { motoClientSettings } from '../../src/local/moto';
import { statePath } from '../../src/local/state';
import { formatUp, up, type UpReady } from '../../src/local/up';
import { Warehouse } from '../../src/local/template/warehouse';
import { createAgents, destroyAgents, postJson } from '../../src/loadgen/http';
import { readAnswer } from '../../src/loadgen/answer';
import { buildBundles } from '../lambdas/bundles';
import { failure } from '../support/failure';

const ROOT = resolve(__dirname, '..', '..');

/** `YYYY-MM-DD` of a time, UTC. */
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The capture API's timestamp form, UTC. */
const stamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

interface Traffic {
  readonly impressions: number;
  readonly clicks: number;
}

/**
 * Events for several ads on day D (yesterday): some ads clicked, some never,
 * one impression clicked twice (it counts once); and events of today, which
 * belong to no ad's D.
 */
function events(day: number) {
  const impressions: Array<{ impression_id: string; ad_id: string; occurred_at: string }> = [];
  const clicks: Array<{ click_id: string; impression_id: string; ad_id: string; occurred_at: string }> = [];
  const expected = new Map<string, Traffic>();
  const plan = [
    { shown: 40, clicked: 12 },
    { shown: 25, clicked: 1 },
    { shown: 7, clicked: 7 },
    { shown: 30, clicked: 0 },
    { shown: 3, clicked: 0 },
  ];
  plan.forEach(({ shown, clicked }, index) => {
    const ad = randomUUID();
    for (let i = 0; i < shown; i++) {
      const at = day + 3_600_000 * (index + 1) + 60_000 * i;
      const impression = { impression_id: randomUUID(), ad_id: ad, occurred_at: stamp(at) };
      impressions.push(impression);
      if (i < clicked)
        clicks.push({
          click_id: randomUUID(),
          impression_id: impression.impression_id,
          ad_id: ad,
          occurred_at: stamp(at + 20_000),
        });
      if (i === 0 && clicked > 0)
        clicks.push({
          click_id: randomUUID(),
          impression_id: impression.impression_id,
          ad_id: ad,
          occurred_at: stamp(at + 40_000),
        });
    }
    expected.set(ad, { impressions: shown, clicks: clicked });
  });
  // An ad seen only the next day: nothing on D.
  const later = randomUUID();
  for (let i = 0; i < 5; i++)
    impressions.push({ impression_id: randomUUID(), ad_id: later, occurred_at: stamp(day + 86_400_000 + 1000 * i) });
  expected.set(later, { impressions: 0, clicks: 0 });
  return { impressions, clicks, expected };
}

describe('dataless local: the whole warehouse on one machine', function () {
  this.timeout(240_000);
  const io = localIO();
  const controller = new AbortController();
  let running: Promise<UpReady> | undefined;
  let baseUrl = '';
  let endpoint = '';

  before(async () => {
    await buildBundles();
    const ready = new Promise<void>((resolveReady, reject) => {
      running = up(
        {
          root: ROOT,
          port: 0,
          signal: controller.signal,
          onReady: (state) => ((baseUrl = state.baseUrl), (endpoint = state.endpoint), resolveReady()),
        },
        io,
      );
      running.catch(reject);
    });
    await ready;
  });

  after(async () => {
    controller.abort();
    await running;
  });

  it('hands where it answers to onReady, for the CLI to print, and writes nothing to stdout itself', () => {
    // then the API's address was handed over, and its text form is that address on a line
    expect(baseUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(formatUp({ baseUrl, endpoint })).to.equal(`${baseUrl}\n`);
    expect(io.stdout).to.equal('');
  });

  it('writes the API and stand-in addresses to .dataless/local/state.json', () => {
    // then the state file says where the run is
    expect(existsSync(statePath(ROOT))).to.equal(true);
    expect(JSON.parse(readFileSync(statePath(ROOT), 'utf8'))).to.include({ baseUrl, endpoint });
  });

  it('refuses a second up while one runs, in one line', async () => {
    // when up is started again
    const error = await failure(up({ root: ROOT, port: 0, signal: AbortSignal.abort() }, localIO()));

    // then it says where the running one is
    expect(error.message).to.equal(
      `a local warehouse is already running at ${baseUrl} (pid ${process.pid}); use it, or stop it with Ctrl-C first`,
    );
  });

  it('refuses a port in use, in one line', async () => {
    // given a port taken, and a checkout with no local warehouse running
    const taken = net.createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const port = (taken.address() as net.AddressInfo).port;
    const root = mkdtempSync(join(tmpdir(), 'dataless-local-'));
    symlinkSync(join(ROOT, '.venv'), join(root, '.venv'));
    try {
      // when up is asked for that port
      const error = await failure(up({ root, port, signal: AbortSignal.abort() }, localIO()));

      // then it says to choose another
      expect(error.message).to.equal(`port ${port} on 127.0.0.1 is in use; pass --port with a free one`);
    } finally {
      taken.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("answers as API Gateway would where the definition's validation or routes refuse a request", async () => {
    // when a batch breaks the Impressions model, and a route that the definition lacks is called
    const invalid = await fetch(`${baseUrl}/impressions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"impressions": []}',
    });
    const unknown = await fetch(`${baseUrl}/impressions`, { method: 'GET' });

    // then the definition's gateway response answers the first, API Gateway's 403 the second
    expect([invalid.status, await invalid.json()]).to.deep.equal([400, { error: 'Invalid request body' }]);
    expect([unknown.status, await unknown.json()]).to.deep.equal([403, { message: 'Missing Authentication Token' }]);
  });

  it("serves every ad's daily traffic, after the batch for the day, as the test counted it", async () => {
    // given impressions and clicks posted through the local API as the load generator posts them
    const now = Date.now();
    const day = Date.parse(`${dayOf(now - 86_400_000)}T00:00:00Z`);
    const { impressions, clicks, expected } = events(day);
    const agents = createAgents(4);
    try {
      for (const [path, key, records] of [
        ['impressions', 'impressions', impressions],
        ['clicks', 'clicks', clicks],
      ] as const) {
        for (let start = 0; start < records.length; start += 50) {
          const sent = records.slice(start, start + 50);
          const answer = await postJson(new URL(`${baseUrl}/${path}`), JSON.stringify({ [key]: sent }), agents, 10_000);
          expect(answer.status, answer.body).to.equal(200);
          expect(readAnswer(answer.body, sent.length)).to.deep.include({ failed: 0 });
        }
      }
    } finally {
      destroyAgents(agents);
    }

    // when the batch runs for day D
    const D = dayOf(day);
    const batchIO = localIO();
    const result = await batch({ root: ROOT, date: D }, batchIO);
    const answers = await traffic(baseUrl, [...expected.keys()], D);

    // then each ad's traffic for D is what was posted for D
    for (const [ad, { impressions: shown, clicks: clicked }] of expected) {
      expect(answers.get(ad), ad).to.deep.equal(shown === 0 ? [] : [{ day: D, impressions: shown, clicks: clicked }]);
    }
    expect(result.day).to.equal(D);
    // and the Redshift loads are listed as skipped, with the reason
    expect(result.skipped.some((step) => step.reason === 'Redshift has no local engine')).to.equal(true);
    // and the run is returned, not printed: its text form lists each step and says the day is done
    expect(batchIO.stdout).to.equal('');
    const text = formatBatch(result);
    expect(text.split('\n').filter((l) => l.startsWith('step '))).to.have.length(result.steps.length);
    expect(text).to.match(new RegExp(`\\nbatch for ${D}: done in \\d+\\.\\ds\\n$`));
  });

  it('leaves the raw area as Firehose would: the declared prefix, UTC hour folders, gzip-compressed NDJSON', async () => {
    // given the streams the templates declare
    const streams = Warehouse.open(ROOT, { DeploymentPreference: 'AllAtOnce' }, 'us-east-1').deliveryStreams();
    const s3 = io.aws.s3(motoClientSettings(endpoint));
    try {
      for (const stream of streams) {
        // when the raw area is listed after the batch delivered it
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: stream.bucket, Prefix: stream.prefix }));
        const keys = (listed.Contents ?? []).map((item) => item.Key!);

        // then every object sits under prefix/YYYY/MM/DD/HH/ and carries the compression's extension
        expect(keys, stream.name).to.not.be.empty;
        for (const key of keys) {
          const escaped = stream.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          expect(key).to.match(
            new RegExp(
              `^${escaped}\\d{4}/\\d{2}/\\d{2}/\\d{2}/${stream.name}-\\d+-\\d{4}(-\\d{2}){5}-[0-9a-f]{32}\\.gz$`,
            ),
          );
        }
      }
    } finally {
      s3.destroy();
    }
  });

  it('stops everything it started on Ctrl-C, leaving no process and no state file', async () => {
    // given the stand-in's process
    const standInPid = JSON.parse(readFileSync(statePath(ROOT), 'utf8')).standInPid as number;

    // when the run is interrupted
    controller.abort();
    const ran = await running;

    // then up returns where it answered, and the stand-in is gone and so is the state file
    expect(existsSync(statePath(ROOT))).to.equal(false);
    expect(ran).to.deep.equal({ baseUrl, endpoint });
    expect(() => process.kill(standInPid, 0)).to.throw();
  });
});

async function traffic(baseUrl: string, ads: readonly string[], day: string): Promise<Map<string, unknown>> {
  const answers = new Map<string, unknown>();
  for (const ad of ads) {
    const response = await fetch(`${baseUrl}/traffic/${ad}?start=${day}&end=${day}`);
    const body = (await response.json()) as { days: unknown };
    expect(response.status, JSON.stringify(body)).to.equal(200);
    answers.set(ad, body.days);
  }
  return answers;
}

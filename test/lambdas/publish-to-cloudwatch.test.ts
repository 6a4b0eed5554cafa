import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { expect } from 'chai';
import net from 'node:net';
import type { KinesisAnalyticsOutputEvent, KinesisAnalyticsOutputResponse } from '../../src/lambdas/shared/events';
import { motoEnvironment, setEnv, useMoto } from '../support/moto';
import { buildBundles, loadHandler } from './bundles';

type Handler = (event: KinesisAnalyticsOutputEvent) => Promise<KinesisAnalyticsOutputResponse>;

/** The application's timestamp form for a minute `minutesAgo` before now. */
function minuteAgo(minutesAgo: number): string {
  const at = new Date(Math.floor(Date.now() / 60_000 - minutesAgo) * 60_000).toISOString();
  return `${at.slice(0, 10)} ${at.slice(11, 19)}.000`;
}

function record(recordId: string, row: unknown): { recordId: string; data: string } {
  const text = typeof row === 'string' ? row : JSON.stringify(row);
  return { recordId, data: Buffer.from(text, 'utf8').toString('base64') };
}

function outputEvent(records: Array<{ recordId: string; data: string }>): KinesisAnalyticsOutputEvent {
  return {
    invocationId: 'invocation-1',
    applicationArn: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/realtime-impressions',
    records,
  };
}

describe('publish-to-cloudwatch handler (bundled, against moto)', function () {
  this.timeout(60_000);
  const moto = useMoto();
  let cloudwatch: CloudWatchClient;
  let restoreEnv: () => void;
  let publish: Handler;
  let warnings: string[];
  const consoleWarn = console.warn;

  before(async function () {
    await buildBundles();
    restoreEnv = setEnv(motoEnvironment(moto.server.endpoint));
    cloudwatch = new CloudWatchClient({});
    publish = loadHandler('publish-to-cloudwatch');
  });

  after(function () {
    cloudwatch?.destroy();
    restoreEnv?.();
  });

  beforeEach(async function () {
    await moto.server.reset();
    warnings = [];
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  });

  afterEach(function () {
    console.warn = consoleWarn;
  });

  /** Sum and sample count of a metric over the last hour. */
  async function stats(namespace: string, name: string): Promise<{ sum: number; samples: number }> {
    const now = Date.now();
    const query = (id: string, stat: string) => ({
      Id: id,
      MetricStat: { Metric: { Namespace: namespace, MetricName: name }, Period: 3600, Stat: stat },
    });
    const output = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now + 60_000),
        MetricDataQueries: [query('sum', 'Sum'), query('samples', 'SampleCount')],
      }),
    );
    const total = (id: string) =>
      (output.MetricDataResults ?? []).find((r) => r.Id === id)?.Values?.reduce((a, b) => a + b, 0) ?? 0;
    return { sum: total('sum'), samples: total('samples') };
  }

  async function metricNames(): Promise<string[]> {
    const output = await cloudwatch.send(new ListMetricsCommand({}));
    return (output.Metrics ?? []).map((m) => `${m.Namespace}/${m.MetricName}`).sort();
  }

  it('publishes the metrics of two namespaces and answers Ok for every record', async function () {
    const event = outputEvent([
      record('r1', { namespace: 'Warehouse/Advertising', name: 'Impressions', at: minuteAgo(3), value: 120 }),
      record('r2', { namespace: 'Warehouse/Advertising', name: 'Clicks', at: minuteAgo(3), value: 4 }),
      record('r3', { namespace: 'Warehouse/Advertising', name: 'Impressions', at: minuteAgo(2), value: 80 }),
      record('r4', { namespace: 'Warehouse/Other', name: 'Impressions', at: minuteAgo(2), value: 5.5 }),
    ]);

    const response = await publish(event);

    expect(response).to.deep.equal({
      records: ['r1', 'r2', 'r3', 'r4'].map((recordId) => ({ recordId, result: 'Ok' })),
    });
    expect(await stats('Warehouse/Advertising', 'Impressions')).to.deep.equal({ sum: 200, samples: 2 });
    expect(await stats('Warehouse/Advertising', 'Clicks')).to.deep.equal({ sum: 4, samples: 1 });
    expect(await stats('Warehouse/Other', 'Impressions')).to.deep.equal({ sum: 5.5, samples: 1 });
  });

  it('publishes more metrics than one PutMetricData call takes', async function () {
    const records = Array.from({ length: 2345 }, (_, i) =>
      record(`r${i}`, {
        namespace: 'Warehouse/Advertising',
        name: 'Impressions',
        at: minuteAgo(1 + (i % 30)),
        value: 1,
      }),
    );

    const response = await publish(outputEvent(records));

    expect(response.records.filter((r) => r.result === 'Ok')).to.have.length(2345);
    expect(await stats('Warehouse/Advertising', 'Impressions')).to.deep.equal({ sum: 2345, samples: 2345 });
  });

  it('answers Ok for records that do not parse, logs them, and publishes the rest', async function () {
    const event = outputEvent([
      record('broken-json', '{"namespace": "Warehouse/Advertising"'),
      record('not-an-object', '[1, 2]'),
      record('no-value', { namespace: 'Warehouse/Advertising', name: 'Clicks', at: minuteAgo(1) }),
      record('bad-at', { namespace: 'Warehouse/Advertising', name: 'Clicks', at: 'now', value: 1 }),
      record('too-old', { namespace: 'Warehouse/Advertising', name: 'Clicks', at: '2001-01-01 00:00:00', value: 1 }),
      record('aws-namespace', { namespace: 'AWS/Lambda', name: 'Clicks', at: minuteAgo(1), value: 1 }),
      record('good', { namespace: 'Warehouse/Advertising', name: 'Impressions', at: minuteAgo(1), value: 9 }),
    ]);

    const response = await publish(event);

    expect(response.records.map((r) => r.result)).to.deep.equal(Array(7).fill('Ok'));
    expect(await metricNames()).to.deep.equal(['Warehouse/Advertising/Impressions']);
    expect(warnings).to.have.length(6);
    expect(warnings[0]).to.match(/^dropped record broken-json: data is not JSON/);
    expect(warnings[1]).to.equal('dropped record not-an-object: data must be a JSON object, got array');
    expect(warnings[2]).to.equal('dropped record no-value: value undefined is not a number CloudWatch accepts');
    expect(warnings[3]).to.equal('dropped record bad-at: at "now" is not a timestamp');
    expect(warnings[4]).to.contain('outside what CloudWatch accepts');
    expect(warnings[5]).to.equal('dropped record aws-namespace: namespace "AWS/Lambda" is reserved for AWS');
  });

  it('answers DeliveryFailed for the records of a PutMetricData call that failed', async function () {
    // given: a fresh container whose endpoint refuses connections
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const restore = setEnv({ AWS_ENDPOINT_URL: `http://127.0.0.1:${closed}`, AWS_MAX_ATTEMPTS: '1' });
    const errors: unknown[][] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const unreachable = loadHandler<KinesisAnalyticsOutputEvent, KinesisAnalyticsOutputResponse>(
        'publish-to-cloudwatch',
      );

      // when
      const response = await unreachable(
        outputEvent([
          record('r1', { namespace: 'Warehouse/Advertising', name: 'Impressions', at: minuteAgo(1), value: 1 }),
          record('r2', 'garbage'),
        ]),
      );

      // then
      expect(response.records).to.deep.equal([
        { recordId: 'r1', result: 'DeliveryFailed' },
        { recordId: 'r2', result: 'Ok' },
      ]);
      expect(String(errors[0]?.[0])).to.equal('PutMetricData of 1 metrics to Warehouse/Advertising failed:');
    } finally {
      console.error = consoleError;
      restore();
    }
  });
});

// The bundled capture handlers against moto, with their standard output
// captured as the Lambda runtime would pass it to CloudWatch Logs: one EMF
// line per request with the count of records the delivery stream accepted.
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { motoEnvironment, setEnv, useMoto } from '../support/moto';
import { capturingStdout, emfDocuments } from '../support/stdout';
import { apiEvent, bodyOf, buildBundles, loadApiHandler, type ApiHandler } from './bundles';

const BUCKET = 'advertising-raw';
const STREAMS = { impressions: 'impressions-stream', clicks: 'clicks-stream' } as const;

function impression(): Record<string, unknown> {
  return { impression_id: randomUUID(), ad_id: randomUUID(), occurred_at: '2026-03-01 12:34:56' };
}

function click(): Record<string, unknown> {
  return { click_id: randomUUID(), ...impression() };
}

function post(key: string, records: unknown[]) {
  return apiEvent({ body: JSON.stringify({ [key]: records }) });
}

describe('capture handlers counting for the real-time dashboard (bundled, against moto)', function () {
  this.timeout(60_000);
  const moto = useMoto();
  let s3: S3Client;
  let firehose: FirehoseClient;
  let restoreEnv: () => void;
  let captureImpressions: ApiHandler;
  let captureClicks: ApiHandler;
  const consoleWarn = console.warn;

  before(async function () {
    await buildBundles();
    const { endpoint } = moto.server;
    restoreEnv = setEnv({
      ...motoEnvironment(endpoint),
      IMPRESSIONS_DELIVERY_STREAM_NAME: STREAMS.impressions,
      CLICKS_DELIVERY_STREAM_NAME: STREAMS.clicks,
      CAPTURE_METRICS: 'emf',
    });
    const clientConfig = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
    firehose = new FirehoseClient(clientConfig);
    captureImpressions = loadApiHandler('capture-impressions');
    captureClicks = loadApiHandler('capture-clicks');
  });

  after(function () {
    restoreEnv?.();
    s3?.destroy();
    firehose?.destroy();
  });

  beforeEach(async function () {
    console.warn = () => undefined;
    await moto.server.reset();
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const [kind, name] of Object.entries(STREAMS)) {
      await firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: name,
          DeliveryStreamType: 'DirectPut',
          ExtendedS3DestinationConfiguration: {
            RoleARN: 'arn:aws:iam::123456789012:role/firehose-delivery',
            BucketARN: `arn:aws:s3:::${BUCKET}`,
            Prefix: `${kind}/`,
          },
        }),
      );
    }
  });

  afterEach(function () {
    console.warn = consoleWarn;
  });

  /** How many records the stream wrote to the bucket. */
  async function storedCount(kind: keyof typeof STREAMS): Promise<number> {
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${kind}/` }));
    let count = 0;
    for (const { Key } of listing.Contents ?? []) {
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
      count += (await object.Body!.transformToString()).split('\n').filter(Boolean).length;
    }
    return count;
  }

  it('writes one Impressions line counting the records the stream accepted, not the invalid ones', async function () {
    // given seven valid impressions and two invalid ones
    const batch = [...Array.from({ length: 7 }, impression), { ad_id: 'x' }, 'not an object'];
    const before = Date.now();
    // when
    const { result, lines } = await capturingStdout(() => captureImpressions(post('impressions', batch)));
    // then one EMF document counts the seven the stream holds
    expect(bodyOf(result).failed_count).to.equal(2);
    expect(await storedCount('impressions')).to.equal(7);
    const documents = emfDocuments(lines);
    expect(documents).to.have.length(1);
    const [document] = documents;
    expect(document!._aws.CloudWatchMetrics).to.deep.equal([
      { Namespace: 'Warehouse/Advertising', Dimensions: [[]], Metrics: [{ Name: 'Impressions', Unit: 'Count' }] },
    ]);
    expect(document!.Impressions).to.equal(7);
    expect(document!._aws.Timestamp).to.be.within(before, Date.now());
    expect(Object.keys(document!)).to.have.members(['_aws', 'Impressions']);
  });

  it('writes a Clicks line from the clicks handler', async function () {
    const { lines } = await capturingStdout(() => captureClicks(post('clicks', [click(), click(), click()])));

    const documents = emfDocuments(lines);
    expect(documents.map((d) => [d._aws.CloudWatchMetrics[0].Metrics[0].Name, d.Clicks])).to.deep.equal([['Clicks', 3]]);
    expect(await storedCount('clicks')).to.equal(3);
  });

  it('writes one line for the whole request, however many calls the delivery took', async function () {
    const { lines } = await capturingStdout(() => captureImpressions(post('impressions', Array.from({ length: 1234 }, impression))));

    expect(emfDocuments(lines).map((d) => d.Impressions)).to.deep.equal([1234]);
    expect(await storedCount('impressions')).to.equal(1234);
  });

  it('counts zero when the stream took nothing', async function () {
    const restore = setEnv({ IMPRESSIONS_DELIVERY_STREAM_NAME: 'no-such-stream' });
    try {
      const { result, lines } = await capturingStdout(() => captureImpressions(post('impressions', [impression(), impression()])));

      expect(bodyOf(result).failed_count).to.equal(2);
      expect(emfDocuments(lines).map((d) => d.Impressions)).to.deep.equal([0]);
    } finally {
      restore();
    }
  });

  it('writes nothing under CAPTURE_METRICS=off, as under the legacy engine, and still captures', async function () {
    const restore = setEnv({ CAPTURE_METRICS: 'off' });
    try {
      const { result, lines } = await capturingStdout(() => captureImpressions(post('impressions', [impression(), impression()])));

      expect(bodyOf(result).failed_count).to.equal(0);
      expect(await storedCount('impressions')).to.equal(2);
      expect(lines).to.deep.equal([]);
    } finally {
      restore();
    }
  });

  it('writes nothing for a malformed request', async function () {
    const { result, lines } = await capturingStdout(() => captureImpressions(apiEvent({ body: '{"impressions": {}}' })));

    expect(result.statusCode).to.equal(400);
    expect(lines).to.deep.equal([]);
  });
});

// The bundled capture handlers against moto: a bucket and the two delivery
// streams that write into it, created afresh before each test, with the
// handlers loaded in the environment they read.
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { motoEnvironment, setEnv, useMoto } from '../support/moto';
import { apiEvent, buildBundles, loadApiHandler, type ApiHandler } from './bundles';

const BUCKET = 'advertising-raw';
const STREAMS = { impressions: 'impressions-stream', clicks: 'clicks-stream' } as const;

/** A valid impression with fresh ids; `overrides` replace or add fields. */
export function impression(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { impression_id: randomUUID(), ad_id: randomUUID(), occurred_at: '2024-03-01 12:34:56', ...overrides };
}

/** A valid click with fresh ids; `overrides` replace or add fields. */
export function click(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { click_id: randomUUID(), ...impression(), ...overrides };
}

/** The API Gateway event of a POST of `records` batched under `key`. */
export function post(key: string, records: unknown[]) {
  return apiEvent({ body: JSON.stringify({ [key]: records }) });
}

export interface CaptureFixture {
  readonly captureImpressions: ApiHandler;
  readonly captureClicks: ApiHandler;
  /** What the handlers passed to console.warn during the current test. */
  readonly warnings: readonly string[];
  /** The objects a stream wrote to the bucket, each as its lines (each object ends in a newline). */
  delivered(kind: keyof typeof STREAMS): Promise<string[][]>;
}

/** Registers the suite's hooks; `env` adds to the environment the handlers are loaded in. */
export function useCaptureHandlers(env: Record<string, string> = {}): CaptureFixture {
  const moto = useMoto();
  let s3: S3Client | undefined;
  let firehose: FirehoseClient | undefined;
  let restoreEnv: (() => void) | undefined;
  let handlers: { captureImpressions: ApiHandler; captureClicks: ApiHandler } | undefined;
  let warnings: string[] = [];
  const consoleWarn = console.warn;

  before(async function () {
    this.timeout(60_000);
    await buildBundles();
    const { endpoint } = moto.server;
    restoreEnv = setEnv({
      ...motoEnvironment(endpoint),
      IMPRESSIONS_DELIVERY_STREAM_NAME: STREAMS.impressions,
      CLICKS_DELIVERY_STREAM_NAME: STREAMS.clicks,
      ...env,
    });
    const clientConfig = {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
    s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
    firehose = new FirehoseClient(clientConfig);
    handlers = {
      captureImpressions: loadApiHandler('capture-impressions'),
      captureClicks: loadApiHandler('capture-clicks'),
    };
  });

  after(function () {
    restoreEnv?.();
    s3?.destroy();
    firehose?.destroy();
  });

  beforeEach(async function () {
    warnings = [];
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    await moto.server.reset();
    await s3!.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const [kind, name] of Object.entries(STREAMS)) {
      await firehose!.send(
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

  const loaded = () => {
    if (!handlers)
      throw new Error(
        'the capture handlers are only available inside tests of the suite that called useCaptureHandlers()',
      );
    return handlers;
  };
  return {
    get captureImpressions() {
      return loaded().captureImpressions;
    },
    get captureClicks() {
      return loaded().captureClicks;
    },
    get warnings() {
      return warnings;
    },
    async delivered(kind) {
      const listing = await s3!.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${kind}/` }));
      const objects: string[][] = [];
      for (const { Key } of listing.Contents ?? []) {
        const object = await s3!.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
        const text = await object.Body!.transformToString();
        expect(text.endsWith('\n'), `${Key} ends with a newline`).to.equal(true);
        objects.push(text.slice(0, -1).split('\n'));
      }
      return objects;
    },
  };
}

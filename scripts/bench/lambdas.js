'use strict';
// Lambda bundle sizes, and how many impressions per second the bundled
// capture-impressions handler pushes through PutRecordBatch to a local moto
// server, in batches of 500 (the API's largest). Figures only; moto's speed
// dominates, so compare runs on the same machine.
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { bundleLambdas } = require('../bundle-lambdas');

const ROOT = path.resolve(__dirname, '../..');
const BATCH = 500;
const WARMUP = 3;
const ITERATIONS = 40;
const STREAM = 'bench-impressions';
const BUCKET = 'bench-impressions';

function batchEvent() {
  const occurredAt = new Date().toISOString().slice(0, 19).replace('T', ' ');
  const impressions = Array.from({ length: BATCH }, () => ({
    impression_id: randomUUID(),
    ad_id: randomUUID(),
    occurred_at: occurredAt,
  }));
  return { body: JSON.stringify({ impressions }), isBase64Encoded: false };
}

async function run() {
  const built = await bundleLambdas({ log: () => undefined });
  for (const b of built) {
    process.stdout.write(
      `${b.name.padEnd(22)} index.js ${String(b.jsBytes).padStart(8)} bytes   zip ${String(b.zipBytes).padStart(8)} bytes\n`,
    );
  }

  // The test harness's moto support, loaded through tsx without registering it globally.
  const { require: tsxRequire } = require('tsx/cjs/api');
  const { startMoto, motoEnvironment, setEnv } = tsxRequire('../../test/support/moto.ts', __filename);
  const { S3Client, CreateBucketCommand } = require('@aws-sdk/client-s3');
  const { FirehoseClient, CreateDeliveryStreamCommand } = require('@aws-sdk/client-firehose');

  process.stderr.write('lambdas bench: starting moto server\n');
  const moto = await startMoto();
  const restoreEnv = setEnv({ ...motoEnvironment(moto.endpoint), IMPRESSIONS_DELIVERY_STREAM_NAME: STREAM });
  const s3 = new S3Client({ forcePathStyle: true });
  const firehose = new FirehoseClient({});
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: STREAM,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: {
          RoleARN: 'arn:aws:iam::123456789012:role/bench',
          BucketARN: `arn:aws:s3:::${BUCKET}`,
        },
      }),
    );
    const file = path.join(ROOT, 'dist', 'lambdas', 'capture-impressions', 'index.js');
    delete require.cache[require.resolve(file)];
    const { handler } = require(file);
    const events = Array.from({ length: WARMUP + ITERATIONS }, batchEvent);

    let failed = 0;
    const invoke = async (event) => {
      const result = await handler(event, { awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 });
      if (result.statusCode !== 200)
        throw new Error(`capture-impressions answered ${result.statusCode}: ${result.body}`);
      failed += JSON.parse(result.body).failed_count;
    };
    for (const event of events.slice(0, WARMUP)) await invoke(event);
    failed = 0;
    process.stderr.write(`lambdas bench: ${ITERATIONS} batches of ${BATCH} impressions\n`);
    const started = process.hrtime.bigint();
    for (const event of events.slice(WARMUP)) await invoke(event);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    const records = ITERATIONS * BATCH;
    process.stdout.write(
      `capture-impressions vs moto: ${(records / seconds).toFixed(0)} records/s, ` +
        `${(ITERATIONS / seconds).toFixed(1)} batches/s ` +
        `(${ITERATIONS} x ${BATCH} in ${seconds.toFixed(2)} s, ${((1000 * seconds) / ITERATIONS).toFixed(1)} ms/batch, ${failed} failed)\n`,
    );
  } finally {
    s3.destroy();
    firehose.destroy();
    restoreEnv();
    await moto.stop();
  }
}

module.exports = { run };

'use strict';
// `dataless package` of the repository's own templates against a local moto
// S3: once to upload everything, then again, which finds every object already
// there. Prints the wall time and the S3 requests (counted by a loopback proxy
// in front of moto) of both runs; the second is the no-op a CI build pays for
// when nothing changed. Figures only; moto's speed dominates the request time.
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const BUCKET = 'bench-artifacts';
const BRANCH = 'master';

/** Forwards every request to `target` and counts them by HTTP method. */
async function countingProxy(target) {
  const counts = {};
  const server = http.createServer((req, res) => {
    counts[req.method] = (counts[req.method] || 0) + 1;
    const forward = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode || 500, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', (error) => res.destroy(error));
    req.pipe(forward);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    take() {
      const taken = { ...counts };
      for (const key of Object.keys(counts)) delete counts[key];
      return taken;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function run() {
  // The CLI's core and the test harness's moto support, loaded through tsx without registering it globally.
  const { require: tsxRequire } = require('tsx/cjs/api');
  const { startMoto, motoClientSettings } = tsxRequire('../../src/local/moto.ts', __filename);
  const { sdkClients } = tsxRequire('../../src/aws/clients.ts', __filename);
  const { packageBranch } = tsxRequire('../../src/aws/package-branch.ts', __filename);
  const { memoryIO } = tsxRequire('../../src/io.ts', __filename);
  const { CreateBucketCommand } = require('@aws-sdk/client-s3');

  process.stderr.write('package bench: starting moto server\n');
  const moto = await startMoto();
  const proxy = await countingProxy(moto.endpoint);
  // Every client goes through the proxy: the IO host carries them, the environment is left alone.
  const aws = sdkClients({ ...motoClientSettings(proxy.endpoint), env: {} });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dataless-package-bench-'));
  try {
    const s3 = aws.s3();
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    s3.destroy();
    proxy.take();

    const once = async () => {
      const started = process.hrtime.bigint();
      const result = await packageBranch(
        { root: ROOT, branch: BRANCH, bucket: BUCKET, outDir: out },
        memoryIO({ env: {}, aws }),
      );
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      return { ms, result, requests: proxy.take() };
    };
    const fmt = ({ ms, result, requests }) => {
      const total = Object.values(requests).reduce((a, b) => a + b, 0);
      const byMethod = Object.entries(requests)
        .sort()
        .map(([method, n]) => `${n} ${method}`)
        .join(', ');
      return `${ms.toFixed(0).padStart(6)} ms, ${String(total).padStart(3)} S3 requests (${byMethod}), ${result.uploaded} uploaded (${result.bytes} bytes), ${result.skipped} skipped`;
    };

    const first = await once();
    const second = await once();
    process.stdout.write(`first package (uploads)   ${fmt(first)}\n`);
    process.stdout.write(`second package (no-op)    ${fmt(second)}\n`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
    await proxy.close();
    await moto.stop();
  }
}

module.exports = { run };

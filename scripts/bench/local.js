'use strict';
// The local warehouse under load: events per second that the local API (the
// bundled capture handlers in front of the moto stand-in's delivery streams)
// accepts, and the wall time of each step of `dataless local batch` over the
// 100,000 events. `local up` runs in a child process (its own core); the
// events are posted from here in batches of 500 with the load generator's
// HTTP client, 8 in flight, as fast as they are answered.
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const EVENTS = 100_000;
const ADS = 1_000;
const CLICKTHROUGH = 0.3;
const BATCH = 500;
const IN_FLIGHT = 8;
const CAPTURE_TARGET = 5_000;
const BATCH_TARGET_SECONDS = 60;

const quietIO = (lines) => ({
  out: (text) => lines.push(text),
  err: () => {},
  interactive: false,
  color: false,
  canPrompt: false,
  cwd: root,
  env: process.env,
});

/** `local up` on a free port, in a child process; resolves with its base URL and a stop function. */
function startUp() {
  const script =
    "require('./src/cli/main').main(['node', 'dataless', 'local', 'up', '--port', '0']).then((code) => process.exit(code))";
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`local up exited (${code}) before it was ready:\n${log}`)));
    child.stdout.once('data', (chunk) =>
      resolve({
        baseUrl: String(chunk).trim(),
        stop: async () => {
          child.kill('SIGINT');
          await exited;
        },
      }),
    );
  });
}

/** 100,000 events of yesterday (UTC): impressions of 1,000 ads, 30% of them clicked. */
function events(day) {
  const ads = Array.from({ length: ADS }, () => randomUUID());
  const impressions = [];
  const clicks = [];
  const impressionCount = Math.round(EVENTS / (1 + CLICKTHROUGH));
  for (let i = 0; i < impressionCount; i++) {
    const at = day + Math.floor((i / impressionCount) * 86_000_000);
    const impression = {
      impression_id: randomUUID(),
      ad_id: ads[i % ADS],
      occurred_at: new Date(at).toISOString().replace('T', ' ').slice(0, 19),
    };
    impressions.push(impression);
    if (clicks.length < EVENTS - impressionCount && i % 10 < 3) {
      clicks.push({
        click_id: randomUUID(),
        impression_id: impression.impression_id,
        ad_id: impression.ad_id,
        occurred_at: new Date(at + 5000).toISOString().replace('T', ' ').slice(0, 19),
      });
    }
  }
  return { impressions, clicks };
}

async function post(http, baseUrl, impressions, clicks) {
  const batches = [];
  for (let i = 0; i < impressions.length; i += BATCH) batches.push(['impressions', impressions.slice(i, i + BATCH)]);
  for (let i = 0; i < clicks.length; i += BATCH) batches.push(['clicks', clicks.slice(i, i + BATCH)]);
  const agents = http.createAgents(IN_FLIGHT);
  let next = 0;
  let failed = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < batches.length) {
      const [kind, records] = batches[next++];
      const answer = await http.postJson(
        new URL(`${baseUrl}/${kind}`),
        JSON.stringify({ [kind]: records }),
        agents,
        30_000,
      );
      const body = answer.status === 200 ? JSON.parse(answer.body) : { failed_count: records.length };
      failed += body.failed_count;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  http.destroyAgents(agents);
  return { seconds, failed, sent: impressions.length + clicks.length };
}

async function run() {
  const { bundleLambdas } = require('../bundle-lambdas');
  await bundleLambdas({ log: () => undefined });
  const { require: tsxRequire } = require('tsx/cjs/api');
  const http = tsxRequire('../../src/loadgen/http.ts', __filename);
  const { batch } = tsxRequire('../../src/local/batch/index.ts', __filename);

  process.stderr.write('local bench: starting local up\n');
  const local = await startUp();
  try {
    const now = Date.now();
    const day = Date.parse(`${new Date(now - 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`);
    const { impressions, clicks } = events(day);
    const capture = await post(http, local.baseUrl, impressions, clicks);
    const rate = capture.sent / capture.seconds;
    console.log(
      `capture through the local API: ${Math.round(rate).toLocaleString('en-US')} events/s ` +
        `(${capture.sent.toLocaleString('en-US')} events, ${impressions.length.toLocaleString('en-US')} impressions and ${clicks.length.toLocaleString('en-US')} clicks, ` +
        `in batches of ${BATCH}, ${IN_FLIGHT} in flight, ${capture.seconds.toFixed(2)} s, ${capture.failed} failed); target at least ${CAPTURE_TARGET.toLocaleString('en-US')} events/s`,
    );

    const date = new Date(day).toISOString().slice(0, 10);
    process.stderr.write(`local bench: running the batch for ${date}\n`);
    const lines = [];
    const result = await batch({ root, date }, quietIO(lines));
    console.log(
      `batch for ${date}: ${result.seconds.toFixed(1)} s wall time, of which local Spark's start-up ${result.sparkStartSeconds.toFixed(1)} s; target under ${BATCH_TARGET_SECONDS} s`,
    );
    for (const step of result.steps) {
      const rows = step.in !== undefined ? `  in ${step.in}, out ${step.out}` : '';
      console.log(`  ${step.name.padEnd(34)} ${step.seconds.toFixed(1).padStart(6)} s${rows}`);
    }
    console.log(`  skipped: ${result.skipped.length} Redshift and off-path states`);
    // The figures depend on what else the machine runs; say how busy it was.
    console.log(`load average during the run: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  } finally {
    await local.stop();
  }
}

module.exports = { run };

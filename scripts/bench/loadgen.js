'use strict';
// Records per second that `dataless loadgen` generates, batches and posts to a
// capture API stand-in on 127.0.0.1, over a bounded run. The generator runs in
// this process (one thread, so one core); the stand-in API runs in a child
// process so that its JSON parsing is not charged to the generator. A second
// run puts the API in this same process, sharing the core.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const SECONDS = 3;
const TARGET = 20_000;
const STUB = path.join(__dirname, 'support', 'capture-stub.js');

/** The compiled core when lib/ is as new as the sources, else the sources through tsx. */
function loadCore() {
  const compiled = path.join(root, 'lib', 'loadgen', 'index.js');
  const sources = path.join(root, 'src', 'loadgen');
  const newest = Math.max(...fs.readdirSync(sources).map((f) => fs.statSync(path.join(sources, f)).mtimeMs));
  if (fs.existsSync(compiled) && fs.statSync(compiled).mtimeMs >= newest) {
    return { core: require(compiled), from: 'lib/loadgen (compiled by tsc)' };
  }
  require('tsx/cjs');
  return { core: require(path.join(sources, 'index.ts')), from: 'src/loadgen through tsx (lib/ missing or stale)' };
}

/** The capture API stand-in in a child process, so that its JSON parsing is not charged to the generator. */
function startChildServer() {
  const child = spawn(process.execPath, [STUB], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk) => resolve({ port: Number(String(chunk).trim()), close: () => child.kill() }));
  });
}

async function startInProcessServer() {
  const server = await require(STUB).start();
  return {
    port: server.address().port,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const quietIO = {
  out: () => {},
  err: () => {},
  interactive: false,
  color: false,
  canPrompt: false,
  cwd: root,
  env: {},
};

async function measure(core, server, users) {
  const config = {
    file: 'bench',
    baseUrl: `http://127.0.0.1:${server.port}/Prod`,
    durationMs: SECONDS * 1000,
    adsCount: 1_000_000,
    users: {
      count: users,
      clickthroughProbability: 0.3,
      viewFrequencyMs: 1000,
      viewVariance: 0.1,
      considerDurationMs: 100,
      considerVariance: 0.1,
    },
  };
  const cpuBefore = process.cpuUsage();
  const result = await core.runLoad(config, { seed: 1, summary: false }, quietIO);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const sent = core.recordsSent(result);
  const failed = core.recordsFailed(result);
  return {
    offered: (users * 1.3) / (config.users.viewFrequencyMs / 1000),
    perSecond: core.recordsPerSecond(result),
    perCpuSecond: sent / cpuSeconds,
    cpuShare: cpuSeconds / (result.elapsedMs / 1000),
    sent,
    failed,
    pausedMs: result.pausedMs,
    elapsedMs: result.elapsedMs,
  };
}

function line(label, m) {
  const n = (x) => Math.round(x).toLocaleString('en-US');
  return (
    `${label.padEnd(26)} ${n(m.perSecond).padStart(7)} records/s sent and accepted ` +
    `(${n(m.sent)} in ${(m.elapsedMs / 1000).toFixed(2)} s, offered ${n(m.offered)}/s, ` +
    `${n(m.perCpuSecond)} per CPU-second, generator CPU ${(m.cpuShare * 100).toFixed(0)}%, ` +
    `held back ${(m.pausedMs / 1000).toFixed(2)} s, ${n(m.failed)} failed)`
  );
}

async function run() {
  const { core, from } = loadCore();
  console.log(`loadgen core: ${from}; ${SECONDS} s runs, 1,000,000 ads, users viewing every 1 s, 30% clickthrough`);
  const child = await startChildServer();
  try {
    for (const users of [20_000, 50_000, 100_000]) {
      console.log(line(`API in child, ${users / 1000}k users`, await measure(core, child, users)));
    }
  } finally {
    child.close();
  }
  const inProcess = await startInProcessServer();
  try {
    console.log(line('API in process, 50k users', await measure(core, inProcess, 50_000)));
  } finally {
    inProcess.close();
  }
  console.log(`target: at least ${TARGET.toLocaleString('en-US')} records/s`);
}

module.exports = { run };

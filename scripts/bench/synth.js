'use strict';
// Wall time and peak memory of a full `dataless synth --check` (which builds and
// serializes every template) beside bare `node -e 0`, measured in the same run.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const RUNS = 7;
const PRELOAD = path.join(__dirname, 'support', 'rss-preload.js');

function measure(args) {
  const times = [];
  let peakKiB = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ['--require', PRELOAD, ...args], { cwd: root, encoding: 'utf8' });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
    times.push(elapsed);
    const kib = Number((/maxrss-kib=(\d+)/.exec(result.stderr) || [])[1]);
    if (Number.isFinite(kib)) peakKiB = Math.max(peakKiB, kib);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], peakMiB: peakKiB / 1024 };
}

async function run() {
  const bare = measure(['-e', '0']);
  const synth = measure([path.join('bin', 'dataless.js'), 'synth', '--check']);
  const fmt = (m) =>
    `median ${m.median.toFixed(0)} ms (min ${m.min.toFixed(0)} ms), peak RSS ${m.peakMiB.toFixed(1)} MiB`;
  console.log(`node -e 0               ${fmt(bare)}`);
  console.log(`dataless synth --check  ${fmt(synth)}`);
  console.log(
    `ratio to bare node      ${(synth.median / bare.median).toFixed(2)}x (target: at most 4x, under 150 MiB)`,
  );
}

module.exports = { run };

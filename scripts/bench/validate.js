'use strict';
// Wall time of `dataless validate --no-scan` (every branch config, then one
// cfn-lint run over every generated template) beside one bare cfn-lint call
// over the same templates, so the figure shows what dataless adds on top of
// cfn-lint; then the wall time of plain `dataless validate`, which also runs
// the checkov scan (as shipped and with every condition on) beside cfn-lint.
// Runs the compiled CLI: `npm run build` first.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const RUNS = 7;
/** checkov takes seconds a run: fewer runs of the full validate. */
const SCAN_RUNS = 3;

function once(command, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  // cfn-lint exits with a bit mask of the levels it found; 1 is its own failure. dataless exits 1 on findings.
  const failed =
    result.error ||
    result.status === null ||
    (result.status === 1 && command !== process.execPath) ||
    result.status === 2;
  if (failed) throw new Error(`${command} ${args.join(' ')} failed: ${result.error || result.stderr}`);
  return elapsed;
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0] };
}

async function run() {
  const { stacks } = require(path.join(root, 'lib', 'stacks'));
  const templates = stacks.map((s) => path.join(root, ...s.path.split('/')));
  const bare = [path.join(root, '.venv', 'bin', 'cfn-lint'), ['--format', 'json', '--', ...templates]];
  const validate = [process.execPath, [path.join('bin', 'dataless.js'), 'validate', '--no-scan']];
  const scanned = [process.execPath, [path.join('bin', 'dataless.js'), 'validate']];
  once(...bare); // warm the file cache for both
  const times = { bare: [], validate: [] };
  // Alternating the two keeps a busy machine from favouring whichever ran second.
  for (let i = 0; i < RUNS; i++) {
    times.bare.push(once(...bare));
    times.validate.push(once(...validate));
  }
  const b = summary(times.bare);
  const v = summary(times.validate);
  const fmt = (m) => `median ${m.median.toFixed(0)} ms (min ${m.min.toFixed(0)} ms)`;
  const overhead = ((v.median - b.median) / b.median) * 100;
  console.log(`templates                      ${templates.length}, ${RUNS} alternating runs each`);
  console.log(`cfn-lint (bare, one call)      ${fmt(b)}`);
  console.log(`validate --no-scan             ${fmt(v)}`);
  console.log(
    `overhead                       ${overhead >= 0 ? '+' : ''}${overhead.toFixed(1)}% of the median (target: at most +10%)`,
  );
  const full = [];
  for (let i = 0; i < SCAN_RUNS; i++) full.push(once(...scanned));
  const f = summary(full);
  console.log(
    `dataless validate (with scan)  ${fmt(f)}, ${SCAN_RUNS} runs; the checkov scan adds ${(f.median - v.median).toFixed(0)} ms to the median`,
  );
}

module.exports = { run };

'use strict';
// Wall time and peak memory of `dataless diff`, offline, over every generated
// template: with no change, and with a change in each of the six templates
// (every stack compared, the AWS CDK's service specification loaded), beside
// bare `node -e 0`. It runs in a scratch repository: a git repository holding
// the generated templates, with the compiled CLI copied beside them (the CLI
// finds the templates relative to itself). Runs the compiled CLI: `npm run build` first.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const RUNS = 7;
const PRELOAD = path.join(__dirname, 'support', 'usage-preload.js');

function measure(cwd, args) {
  const times = [];
  const cpu = [];
  let peakKiB = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ['--require', PRELOAD, ...args], { cwd, encoding: 'utf8' });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
    times.push(elapsed);
    cpu.push(Number((/cpu-ms=(\d+)/.exec(result.stderr) || [])[1]));
    const kib = Number((/maxrss-kib=(\d+)/.exec(result.stderr) || [])[1]);
    if (Number.isFinite(kib)) peakKiB = Math.max(peakKiB, kib);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)],
    min: times[0],
    cpu: cpu[Math.floor(cpu.length / 2)],
    peakMiB: peakKiB / 1024,
  };
}

/** A scratch repository: the templates committed, the CLI beside them, node_modules linked. */
function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataless-bench-diff-'));
  const { stacks } = require(path.join(root, 'lib', 'stacks'));
  for (const stack of stacks) {
    fs.mkdirSync(path.dirname(path.join(dir, stack.path)), { recursive: true });
    fs.copyFileSync(path.join(root, stack.path), path.join(dir, stack.path));
  }
  fs.cpSync(path.join(root, 'lib'), path.join(dir, 'lib'), { recursive: true });
  fs.cpSync(path.join(root, 'bin'), path.join(dir, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, '.gitignore'), 'lib/\nbin/\nnode_modules\npackage.json\n');
  const git = (...args) => execFileSync('git', ['-C', dir, ...args], { stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-q', '-m', 'templates');
  return { dir, stacks };
}

/** Changes every template: a resource added, and the first description of a resource's properties extended. */
function changeEveryTemplate(dir, stacks) {
  for (const stack of stacks) {
    const file = path.join(dir, stack.path);
    const text = fs
      .readFileSync(file, 'utf8')
      .replace(/^Resources:$/m, 'Resources:\n  BenchQueue:\n    Type: AWS::SQS::Queue')
      .replace(
        /^( {6}Description: )(.*)$/m,
        (_, key, value) => `${key}${JSON.stringify(`${value.replace(/^"|"$/g, '')} (changed)`)}`,
      );
    fs.writeFileSync(file, text);
  }
}

/** Peak RSS and CPU time of a child, which spawnSync does not report: the preload prints them. */
async function run() {
  const { dir, stacks } = scratch();
  try {
    const cli = path.join('bin', 'dataless.js');
    const bare = measure(dir, ['-e', '0']);
    const same = measure(dir, [cli, 'diff']);
    changeEveryTemplate(dir, stacks);
    spawnSync(process.execPath, [cli, 'diff'], { cwd: dir }); // the first run caches the service specification's facts
    const report = spawnSync(process.execPath, [cli, 'diff', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    const summary = JSON.parse(report.stdout);
    const changed = measure(dir, [cli, 'diff']);
    const json = measure(dir, [cli, 'diff', '--format', 'json']);
    const fmt = (m) =>
      `median ${m.median.toFixed(0)} ms (min ${m.min.toFixed(0)} ms, ${(m.median / bare.median).toFixed(1)}x node), CPU ${m.cpu} ms, peak RSS ${m.peakMiB.toFixed(1)} MiB`;
    const { added, modified } = summary.summary;
    console.log(
      `templates                       ${stacks.length}, ${RUNS} runs each, offline; wall time, its ratio to bare node, CPU time of the node process (git's not counted)`,
    );
    console.log(`node -e 0                       ${fmt(bare)}`);
    console.log(`diff, no change                 ${fmt(same)}`);
    console.log(
      `diff, every template changed    ${fmt(changed)}: ${summary.stacks.length} stacks, ${added} added, ${modified} modified`,
    );
    console.log(`diff --format json, same        ${fmt(json)}`);
    console.log(`target                          under 1000 ms on all templates`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { run };

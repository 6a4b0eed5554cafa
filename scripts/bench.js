#!/usr/bin/env node
'use strict';
// Runs every benchmark in scripts/bench/ (or the ones named on the command
// line) and prints their figures. Benchmarks print figures; nothing here
// passes or fails on a threshold.
const fs = require('node:fs');
const path = require('node:path');

async function run() {
  const dir = path.join(__dirname, 'bench');
  const wanted = process.argv.slice(2);
  const names = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .filter((n) => wanted.length === 0 || wanted.includes(n))
    .sort();
  for (const name of names) {
    process.stdout.write(`\n== ${name} ==\n`);
    await require(path.join(dir, `${name}.js`)).run();
  }
}

run().catch((error) => {
  process.stderr.write(`bench: ${error.stack || error}\n`);
  process.exitCode = 1;
});

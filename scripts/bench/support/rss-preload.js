'use strict';
// Preloaded into a measured process: reports its peak resident set size (KiB) on exit.
process.on('exit', () => {
  process.stderr.write(`\nmaxrss-kib=${process.resourceUsage().maxRSS}\n`);
});

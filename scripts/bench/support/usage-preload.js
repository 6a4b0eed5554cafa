'use strict';
// Preloaded into a measured process: reports its peak resident set size (KiB) and
// its own CPU time (ms, user and system; not that of the processes it starts), on exit.
process.on('exit', () => {
  const self = process.resourceUsage();
  const cpuMs = Math.round((self.userCPUTime + self.systemCPUTime) / 1000);
  process.stderr.write(`\nmaxrss-kib=${self.maxRSS}\ncpu-ms=${cpuMs}\n`);
});

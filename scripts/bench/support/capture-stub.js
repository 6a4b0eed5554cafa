'use strict';
// A stand-in for the capture API that accepts every record and answers as the
// real one does. Run as a script it listens on a free loopback port and prints
// the port; required, its start() gives the same server in this process.
const http = require('node:http');

/** Starts the stand-in on 127.0.0.1 and resolves to the listening server. */
function start() {
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const records = (body.impressions || body.clicks).map(() => ({ failed: false }));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ failed_count: 0, records }));
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

if (require.main === module) start().then((server) => process.stdout.write(`${server.address().port}\n`));

module.exports = { start };

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { main } from '../../src/cli/main';
import { memoryIO } from '../../src/io';
import { recordsOn, startCaptureServer, type CaptureServer } from './capture-server';

const ROOT = resolve(__dirname, '..', '..');

const FILE = `# as shipped, but fast
BaseURL: https://\${API_ID}.execute-api.\${REGION}.amazonaws.com/\${STAGE}
Duration: 72h
Ads:
  Count: 1000
Users:
  Count: 100
  ClickthroughProbability: 0.3
  ViewFrequency: 50ms
  ViewVariance: 0.1
  ConsiderDuration: 10ms
  ConsiderVariance: 0.1
`;

describe('dataless loadgen', () => {
  let server: CaptureServer;
  let dir: string;

  beforeEach(async () => {
    server = await startCaptureServer();
    dir = await mkdtemp(join(tmpdir(), 'loadgen-cli-'));
    await writeFile(join(dir, 'lg.yaml'), FILE);
  });

  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs against --base-url for --duration, whatever the file says', async () => {
    // given a file pointing at API Gateway for 72 hours, with its variables unset
    const io = memoryIO({ cwd: dir });
    // when
    const started = Date.now();
    const code = await main(
      ['node', 'dataless', 'loadgen', '-c', 'lg.yaml', '--base-url', `${server.url}/Prod`, '--duration', '300ms'],
      io,
    );
    // then
    expect(code, io.stderr).to.equal(0);
    expect(Date.now() - started).to.be.lessThan(3000);
    expect(recordsOn(server, 'impressions').length).to.be.greaterThan(100);
    expect(new Set(server.received.map((r) => r.path))).to.deep.equal(new Set(['/Prod/impressions', '/Prod/clicks']));
    expect(io.stdout).to.match(/^records sent: {2}[\d,]+ \(/);
    expect(io.stderr).to.contain('.');
  });

  it('expands the environment into the file', async () => {
    // given
    const port = new URL(server.url).port;
    await writeFile(
      join(dir, 'lg.yaml'),
      FILE.replace(/^BaseURL: .*$/m, 'BaseURL: http://127.0.0.1:${PORT}/${STAGE}').replace('72h', '${RUN_FOR}'),
    );
    const io = memoryIO({ cwd: dir, env: { PORT: port, STAGE: 'Beta', RUN_FOR: '250ms' } });
    // when
    const code = await main(['node', 'dataless', 'loadgen', '-c', 'lg.yaml'], io);
    // then
    expect(code, io.stderr).to.equal(0);
    expect(server.received.length).to.be.greaterThan(0);
    for (const r of server.received) expect(r.path).to.match(/^\/Beta\/(impressions|clicks)$/);
  });

  it('exits 1 after the summary when the API refuses batches', async () => {
    // given
    server.respond = () => ({ status: 500, body: '{"error":"internal error"}' });
    const io = memoryIO({ cwd: dir });
    // when
    const code = await main(
      ['node', 'dataless', 'loadgen', '-c', 'lg.yaml', '--base-url', server.url, '--duration', '200ms'],
      io,
    );
    // then
    expect(code).to.equal(1);
    expect(io.stdout).to.contain('records sent:');
    expect(io.stderr).to.match(/F/);
    expect(io.stderr).to.match(/error: [\d,]+ of [\d,]+ records were not accepted/);
  });

  it('exits 1 when nothing listens at the base URL, marking each batch E', async () => {
    // given a port that was just closed
    const url = server.url;
    await server.close();
    server = await startCaptureServer();
    const io = memoryIO({ cwd: dir });
    // when
    const code = await main(
      ['node', 'dataless', 'loadgen', '-c', 'lg.yaml', '--base-url', url, '--duration', '200ms'],
      io,
    );
    // then
    expect(code).to.equal(1);
    expect(io.stderr).to.match(/^E$/m);
    expect(io.stderr).to.contain('ECONNREFUSED');
  });

  it('refuses a bad configuration with exit status 2 before sending anything', async () => {
    // given
    await writeFile(join(dir, 'lg.yaml'), FILE.replace('ClickthroughProbability: 0.3', 'ClickthroughProbability: 30'));
    const io = memoryIO({ cwd: dir });
    // when
    const code = await main(
      ['node', 'dataless', 'loadgen', '-c', 'lg.yaml', '--base-url', server.url, '--duration', '1s'],
      io,
    );
    // then
    expect(code).to.equal(2);
    expect(io.stderr).to.equal(
      'error: lg.yaml: Users.ClickthroughProbability is 30; it must be a number from 0 to 1\n',
    );
    expect(server.received).to.have.length(0);
  });

  it("refuses to run with the file's variables unset and no --base-url", async () => {
    // given / when
    const io = memoryIO({ cwd: dir });
    const code = await main(['node', 'dataless', 'loadgen', '-c', 'lg.yaml', '--duration', '1s'], io);
    // then
    expect(code).to.equal(2);
    expect(io.stderr).to.contain('error: lg.yaml has 3 problems:');
    expect(io.stderr).to.contain(
      'BaseURL (line 2) refers to ${API_ID}, but API_ID is not set; set API_ID or pass --base-url',
    );
  });

  it('refuses a bad --duration or --concurrency, naming the flag', async () => {
    // given
    const io = memoryIO({ cwd: dir });
    const io2 = memoryIO({ cwd: dir });
    // when
    const code = await main(
      ['node', 'dataless', 'loadgen', '-c', 'lg.yaml', '--base-url', server.url, '--duration', '3 days'],
      io,
    );
    const code2 = await main(
      ['node', 'dataless', 'loadgen', '-c', 'lg.yaml', '--base-url', server.url, '--concurrency', 'lots'],
      io2,
    );
    // then
    expect(code).to.equal(2);
    expect(io.stderr).to.contain('error: --duration is "3 days"; it must be a duration above zero');
    expect(code2).to.equal(2);
    expect(io2.stderr).to.contain('error: --concurrency is "lots"; it must be a whole number');
    expect(server.received).to.have.length(0);
  });

  it('replays the same ids under the same --seed', async () => {
    // given
    const args = [
      'node',
      'dataless',
      'loadgen',
      '-c',
      'lg.yaml',
      '--base-url',
      server.url,
      '--duration',
      '100ms',
      '--seed',
      '1234',
    ];
    // when run twice
    expect(await main(args, memoryIO({ cwd: dir }))).to.equal(0);
    const first = recordsOn(server, 'impressions')[0]!;
    server.received.length = 0;
    expect(await main(args, memoryIO({ cwd: dir }))).to.equal(0);
    const again = recordsOn(server, 'impressions')[0]!;
    // then
    expect(again.impression_id).to.equal(first.impression_id);
    expect(again.ad_id).to.equal(first.ad_id);
  });

  it('explains its flags and the environment variables in --help', async () => {
    // given
    const io = memoryIO();
    // when
    const code = await main(['node', 'dataless', 'loadgen', '--help'], io);
    // then
    expect(code).to.equal(0);
    for (const text of [
      '-c, --config <file>',
      '--base-url <url>',
      '--duration <duration>',
      '--concurrency <n>',
      '--seed <n>',
      'API_ID, REGION',
      'Exit status',
    ]) {
      expect(io.stdout).to.contain(text);
    }
  });

  it('stops on Ctrl-C, sends what it has and exits 0', async function () {
    this.timeout(30_000);
    // given a run of 72 hours in a child process
    const script =
      "require('./src/cli/main').main(['node', 'dataless', ...process.argv.slice(1)]).then((code) => { process.exitCode = code; })";
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', script, 'loadgen', '-c', join(dir, 'lg.yaml'), '--base-url', server.url],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const firstBatch = new Promise<void>((resolveBatch) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('.')) resolveBatch();
      });
    });
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    // when it is interrupted once batches flow
    await firstBatch;
    child.kill('SIGINT');
    const code = await exited;
    // then
    expect(code, stderr).to.equal(0);
    expect(stderr).to.contain('loadgen: interrupted; sending the partial batches and waiting for the answers');
    expect(stdout).to.contain('stopped:       interrupted before the configured duration');
    const sent = Number(/records sent: {2}([\d,]+)/.exec(stdout)![1]!.replace(/,/g, ''));
    expect(recordsOn(server, 'impressions').length + recordsOn(server, 'clicks').length).to.equal(sent);
  });
});

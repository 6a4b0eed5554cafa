import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildBundles, loadHandler } from './bundles';

const ROOT = path.resolve(__dirname, '..', '..');
const { createZip, crc32 } = require(path.join(ROOT, 'scripts', 'zip.js')) as {
  createZip(entries: Array<{ name: string; data: Buffer | string; mode?: number }>): Buffer;
  crc32(data: Buffer): number;
};
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');

/** What Python's zipfile module (an independent reader) sees in an archive. */
function readWithPython(zip: Buffer): Array<{ name: string; date: number[]; mode: string; data: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataless-zip-'));
  try {
    const file = path.join(dir, 'test.zip');
    fs.writeFileSync(file, zip);
    const script = [
      'import base64, json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(json.dumps([{"name": i.filename, "date": list(i.date_time), "mode": oct(i.external_attr >> 16),',
      '  "data": base64.b64encode(z.read(i)).decode()} for i in z.infolist()]))',
    ].join('\n');
    return JSON.parse(execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8' }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('deterministic zip writer', function () {
  it('computes the standard CRC-32', function () {
    expect(crc32(Buffer.from('123456789')).toString(16)).to.equal('cbf43926');
  });

  it('writes an archive another implementation reads back, entries sorted, dated 1980-01-01, mode 644', function () {
    const big = 'compressible '.repeat(1000);

    const zip = createZip([
      { name: 'z/last.txt', data: big },
      { name: 'index.js', data: 'x' },
      { name: 'bin/run', data: Buffer.from([0, 1, 2]), mode: 0o755 },
    ]);

    const entries = readWithPython(zip);
    expect(entries.map((e) => e.name)).to.deep.equal(['bin/run', 'index.js', 'z/last.txt']);
    expect(entries.every((e) => e.date.join('-') === '1980-1-1-0-0-0')).to.equal(true);
    expect(entries.map((e) => e.mode)).to.deep.equal(['0o100755', '0o100644', '0o100644']);
    expect(Buffer.from(entries[2]!.data, 'base64').toString()).to.equal(big);
    expect(zip.length).to.be.below(big.length / 10);
  });

  it('writes the same bytes for the same entries in any order', function () {
    const a = createZip([
      { name: 'a', data: 'one' },
      { name: 'b', data: 'two' },
    ]);
    const b = createZip([
      { name: 'b', data: 'two' },
      { name: 'a', data: 'one' },
    ]);

    expect(a.equals(b)).to.equal(true);
  });

  it('refuses names that are absolute, climb out, or repeat', function () {
    for (const entries of [
      [{ name: '/etc/passwd', data: '' }],
      [{ name: 'a/../../b', data: '' }],
      [
        { name: 'a', data: '' },
        { name: 'a', data: '' },
      ],
    ]) {
      expect(() => createZip(entries)).to.throw(/zip entry/);
    }
  });
});

describe('scripts/bundle-lambdas.js', function () {
  this.timeout(60_000);

  it('bundles every handler to a CommonJS file exporting handler, zipped as index.js', async function () {
    const built = await buildBundles();

    expect(built.map((b) => b.name)).to.deep.equal([
      'capture-clicks',
      'capture-impressions',
      'get-ad-traffic',
      'publish-to-cloudwatch',
    ]);
    for (const bundle of built) {
      const js = fs.readFileSync(path.join(ROOT, bundle.js));
      const zip = fs.readFileSync(path.join(ROOT, bundle.zip));
      expect(bundle.js).to.equal(path.join('dist', 'lambdas', bundle.name, 'index.js'));
      expect(js.length).to.equal(bundle.jsBytes);
      expect(loadHandler(bundle.name)).to.be.a('function');
      expect(js.includes(Buffer.from(ROOT)), `${bundle.name} has no absolute path`).to.equal(false);
      expect(js.includes(Buffer.from('sourceMappingURL')), `${bundle.name} has no source map`).to.equal(false);
      const entries = readWithPython(zip);
      expect(entries.map((e) => e.name)).to.deep.equal(['index.js']);
      expect(Buffer.from(entries[0]!.data, 'base64').equals(js)).to.equal(true);
    }
  });

  it('bundles the AWS SDK in, so a bundle loads with no node_modules around it', async function () {
    await buildBundles();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataless-bundle-'));
    try {
      fs.copyFileSync(path.join(ROOT, 'dist', 'lambdas', 'get-ad-traffic', 'index.js'), path.join(dir, 'index.js'));
      const probe = `require('./index.js').handler({pathParameters: {'ad-id': 'nope'}}).then((r) => console.log(r.statusCode))`;

      const out = execFileSync(process.execPath, ['-e', probe], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      });

      expect(out.trim()).to.equal('400');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes byte-identical zips when run again, and reports each bundle on stderr', async function () {
    const built = await buildBundles();
    const before = built.map((b) => fs.readFileSync(path.join(ROOT, b.zip)));

    const run = spawnSync(process.execPath, [path.join('scripts', 'bundle-lambdas.js')], {
      cwd: ROOT,
      encoding: 'utf8',
    });

    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.equal('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).to.have.length(built.length);
    built.forEach((b, i) => {
      expect(lines[i]).to.equal(`${b.name}: index.js ${b.jsBytes} bytes, ${b.name}.zip ${b.zipBytes} bytes`);
      expect(fs.readFileSync(path.join(ROOT, b.zip)).equals(before[i]!), `${b.name}.zip unchanged`).to.equal(true);
    });
  });
});

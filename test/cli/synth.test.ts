import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { projectRoot } from '../../src/paths';
import { generate } from '../../src/synth';
import { run } from './run';

/** Paths of the YAML files under a folder, relative to it, with forward slashes. */
function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => name.split(sep).join('/'));
}

describe('dataless synth', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'dataless-synth-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('generates exactly the files that are committed (run `npx dataless synth` when this fails)', () => {
    const files = generate();
    for (const file of files) {
      const committed = readFileSync(join(projectRoot(), file.path), 'utf8');
      expect(committed, `${file.path} is stale`).to.equal(file.content);
    }
    // and every committed template comes from a stack registered in src/stacks/index.ts
    const committedTemplates = yamlFilesUnder(join(projectRoot(), 'templates-out')).map(
      (name) => `templates-out/${name}`,
    );
    expect(files.map((f) => f.path)).to.include.members(['build.yaml', ...committedTemplates]);
  });

  it('renders every template as YAML that reads back as the template it came from', () => {
    // synth checks this only for the files it writes; here it is checked for every one
    const templates = generate().filter((file) => file.path.endsWith('.yaml'));
    expect(templates).to.have.length.greaterThan(0);
    for (const file of templates) {
      expect(file.verify, `${file.path} has no round-trip check`).to.be.a('function');
      expect(() => file.verify?.(), file.path).not.to.throw();
    }
  });

  it('produces byte-identical output on a second run', () => {
    const first = generate();
    const second = generate();
    expect(second.map((f) => f.path)).to.deep.equal(first.map((f) => f.path));
    second.forEach((f, i) => expect(f.content, f.path).to.equal(first[i]!.content));
  });

  it('writes every file under --out and reports them on stdout', async () => {
    const { code, io } = await run('synth', '--out', out);
    expect(code).to.equal(0);
    for (const file of generate()) {
      expect(readFileSync(join(out, file.path), 'utf8')).to.equal(file.content);
      expect(io.stdout).to.contain(`written   ${file.path}`);
    }
  });

  it('leaves unchanged files alone on a second run', async () => {
    await run('synth', '--out', out);
    const { io } = await run('synth', '--out', out);
    expect(io.stdout).not.to.contain('written');
    expect(io.stdout).to.contain('unchanged build.yaml');
  });

  it('leaves no temporary files behind', async () => {
    await run('synth', '--out', out);
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [e.name]));
    expect(walk(out).filter((name) => name.endsWith('.tmp'))).to.deep.equal([]);
  });

  describe('--check', () => {
    it('exits 0 when every file is up to date, writing nothing', async () => {
      await run('synth', '--out', out);
      const { code, io } = await run('synth', '--check', '--out', out);
      expect(code).to.equal(0);
      expect(io.stderr).to.contain('up to date');
    });

    it('exits 1 and names a file that was edited by hand', async () => {
      await run('synth', '--out', out);
      const path = join(out, 'build.yaml');
      writeFileSync(path, readFileSync(path, 'utf8') + '# edited\n');
      const { code, io } = await run('synth', '--check', '--out', out);
      expect(code).to.equal(1);
      expect(io.stdout).to.contain('stale     build.yaml');
      expect(io.stderr).to.match(/build\.yaml: stale/);
      expect(readFileSync(path, 'utf8')).to.match(/# edited\n$/);
    });

    it('names missing files', async () => {
      const { code, io } = await run('synth', '--check', '--out', out);
      expect(code).to.equal(1);
      expect(io.stdout).to.contain('missing   build.yaml');
    });

    it('names extra YAML files under templates-out/ that synth does not generate', async () => {
      await run('synth', '--out', out);
      mkdirSync(join(out, 'templates-out'), { recursive: true });
      writeFileSync(join(out, 'templates-out', 'old.yaml'), 'Resources: {}\n');
      const { code, io } = await run('synth', '--check', '--out', out);
      expect(code).to.equal(1);
      expect(io.stdout).to.contain('extra     templates-out/old.yaml');
    });
  });

  it('explains an unknown option and exits 2', async () => {
    const { code, io } = await run('synth', '--bogus');
    expect(code).to.equal(2);
    expect(io.stderr).to.contain("unknown option '--bogus'");
  });
});

// `dataless diff` against a temporary git repository holding a copy of the
// generated templates: the working tree is changed, the revision stays.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report as exitStatus } from '../../src/cli/main';
import { parseTemplate, toYaml } from '../../src/cfn/yaml';
import { runAndPresent } from '../../src/cli/present';
import { diff, formatDiff, parseFailOn, type DiffOptions, type DiffPresentation } from '../../src/diff';
import { memoryIO } from '../../src/io';
import { projectRoot } from '../../src/paths';
import { run as dataless } from '../cli/run';
import { LAKE, PIPELINE, SERVICE } from './trees';

describe('dataless diff (against a git revision)', () => {
  let root: string;

  const git = (...args: string[]) =>
    execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const commit = (message: string) => {
    git('add', '-A');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-m', message);
  };
  /** Rewrites one template of the working tree. */
  const edit = (file: string, change: (template: any) => void) => {
    const path = join(root, file);
    const template = parseTemplate(readFileSync(path, 'utf8'), file) as Record<string, unknown>;
    change(template);
    writeFileSync(path, toYaml(template));
  };
  const replaceTableKey = () =>
    edit('templates-out/advertising/pipeline.yaml', (t) => {
      t.Resources.AdTrafficTable.Properties.KeySchema[0].AttributeName = 'ad';
    });

  /** Runs the action and presents its report as the CLI does, and maps its error to the exit status. */
  const run = async (
    { format, securityOnly, ...options }: Partial<DiffOptions> & DiffPresentation = {},
    io = memoryIO(),
  ) => {
    let code = 0;
    try {
      await runAndPresent(io, () => diff({ root, ...options }, io), {
        text: (result) => formatDiff(result, { format, securityOnly, color: io.outColor }),
      });
    } catch (error) {
      code = exitStatus(error, io, false);
    }
    return { code, stdout: io.stdout, stderr: io.stderr };
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dataless-diff-'));
    git('init', '-q');
    cpSync(join(projectRoot(), 'build.yaml'), join(root, 'build.yaml'));
    cpSync(join(projectRoot(), 'templates-out'), join(root, 'templates-out'), { recursive: true });
    commit('generated templates');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('prints that there is no difference and exits 0 when the templates match HEAD', async () => {
    const { code, stdout } = await run();
    expect(code).to.equal(0);
    expect(stdout).to.equal('no differences from HEAD\n');
  });

  it('returns the report as data and leaves printing it to the CLI', async () => {
    // given a replaced table key in the working tree
    replaceTableKey();
    // when the action runs on its own
    const io = memoryIO();
    const result = await diff({ root }, io);
    // then the report is returned, compared with HEAD, and nothing is written to stdout
    expect(result.base).to.equal('HEAD');
    expect(result.report.stacks.map((s) => s.path)).to.deep.equal([PIPELINE]);
    expect(result.report.summary).to.deep.include({ replaced: 1, dataLoss: 1 });
    expect(io.stdout).to.equal('');
  });

  it('reports a change in a nested template as text: the stack, the resource, the property, replacement and data loss', async () => {
    replaceTableKey();
    const { code, stdout } = await run();
    expect(code).to.equal(0);
    expect(stdout).to.contain(`Stack ${PIPELINE} (templates-out/advertising/pipeline.yaml)\nResources\n`);
    expect(stdout).to.contain('  [~] AWS::DynamoDB::Table AdTrafficTable  REPLACED DATA LOSS\n');
    expect(stdout).to.contain('      Properties.KeySchema[0].AttributeName: "ad_id" → "ad" (replaces: always)\n');
    expect(stdout).to.match(
      /1 stack changed from HEAD: resources 0 added, 0 removed, 1 modified; 1 replaced, 1 losing data, 0 broadening/,
    );
    expect(stdout).not.to.contain('\u001b[');
  });

  it('colours the text only when stdout may be coloured', async () => {
    replaceTableKey();
    const { stdout } = await run({}, memoryIO({ outColor: true }));
    expect(stdout).to.contain('\u001b[31mREPLACED\u001b[39m');
  });

  it('writes markdown for a review comment: a summary line, a section per stack and tables', async () => {
    replaceTableKey();
    edit('templates-out/app.yaml', (t) => {
      t.Resources.SecurityGroup.Properties.SecurityGroupEgress[0].CidrIp = '10.0.0.0/8';
      t.Resources.SecurityGroup.Properties.SecurityGroupIngress['Fn::If'][2][0].CidrIp = '0.0.0.0/0';
    });
    const { code, stdout } = await run({ format: 'markdown' });
    expect(code).to.equal(0);
    const lines = stdout.split('\n');
    expect(lines[0]).to.match(/^\*\*dataless diff\*\*: 2 stacks changed from HEAD: /);
    expect(stdout).to.contain('\n### app\n');
    expect(stdout).to.contain(`\n### ${PIPELINE}\n`);
    expect(stdout).to.contain(
      '| ~ | AdTrafficTable | AWS::DynamoDB::Table | always | **yes** | `Properties.KeySchema[0].AttributeName`: `"ad_id"` → `"ad"` |',
    );
    expect(stdout).to.contain(
      '| + | SecurityGroup | `${SecurityGroup.GroupId}` | ingress | TCP 5439 | `Everyone (IPv4)` | **yes** |',
    );
    expect(stdout).to.contain(
      '| - | SecurityGroup | `${SecurityGroup.GroupId}` | egress | Everything | `Everyone (IPv4)` |  |',
    );
  });

  it('writes json in the documented shape', async () => {
    replaceTableKey();
    const { stdout } = await run({ format: 'json' });
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).to.deep.equal(['stacks', 'summary']);
    expect(json.summary).to.deep.equal({ added: 0, removed: 0, modified: 1, replaced: 1, dataLoss: 1, broadening: 0 });
    expect(json.stacks).to.have.length(1);
    expect(json.stacks[0]).to.include({ path: PIPELINE, template: 'templates-out/advertising/pipeline.yaml' });
    expect(json.stacks[0].resources).to.deep.equal([
      {
        logicalId: 'AdTrafficTable',
        type: 'AWS::DynamoDB::Table',
        change: 'modify',
        replacement: 'always',
        properties: [{ path: 'Properties.KeySchema[0].AttributeName', old: 'ad_id', new: 'ad', replacement: 'always' }],
        dataLoss: true,
      },
    ]);
    expect(json.stacks[0].security).to.deep.equal([]);
  });

  it('shows only the security tables with --security-only', async () => {
    replaceTableKey();
    edit('templates-out/advertising/service.yaml', (t) => {
      t.Resources.APILambdaRole.Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/AdministratorAccess'];
    });
    const { stdout } = await run({ securityOnly: true, format: 'json' });
    const json = JSON.parse(stdout);
    expect(json.stacks.map((s: { path: string }) => s.path)).to.deep.equal([SERVICE]);
    expect(json.stacks[0].resources).to.deep.equal([]);
    expect(json.stacks[0].security).to.deep.equal([
      {
        kind: 'iam',
        change: 'add',
        resource: 'APILambdaRole',
        broadening: true,
        managedPolicy: 'arn:aws:iam::aws:policy/AdministratorAccess',
      },
    ]);
  });

  it('compares with an older revision given by --base', async () => {
    replaceTableKey();
    commit('replace the table key');
    expect((await run()).stdout).to.equal('no differences from HEAD\n');
    const { code, stdout } = await run({ base: 'HEAD~1', format: 'json' });
    expect(code).to.equal(0);
    expect(JSON.parse(stdout).summary).to.include({ replaced: 1 });
  });

  it('follows a nested template renamed in the working tree to its predecessor', async () => {
    renameSync(
      join(root, 'templates-out/advertising/lake.yaml'),
      join(root, 'templates-out/advertising/data-lake.yaml'),
    );
    edit('templates-out/advertising/service.yaml', (t) => {
      t.Resources.Lake.Properties.Location = './data-lake.yaml';
    });
    const json = JSON.parse((await run({ format: 'json' })).stdout);
    expect(json.stacks.map((s: { path: string }) => s.path)).to.deep.equal([SERVICE]);
    expect(json.stacks[0].resources[0].properties).to.deep.equal([
      { path: 'Properties.Location', old: './lake.yaml', new: './data-lake.yaml', replacement: 'never' },
    ]);
    expect(LAKE).to.equal(`${SERVICE}/Lake`);
  });

  it('exits 1 with --fail-on when the report has such a change, after printing the report', async () => {
    replaceTableKey();
    const { code, stdout, stderr } = await run({ failOn: parseFailOn('broadening,replacement') });
    expect(code).to.equal(1);
    expect(stdout).to.contain('AdTrafficTable');
    expect(stderr).to.equal('error: the change has 1 replacement (--fail-on broadening,replacement)\n');
  });

  it('names each kind --fail-on found, counted', async () => {
    replaceTableKey();
    const { code, stderr } = await run({ failOn: parseFailOn('data-loss,replacement') });
    expect(code).to.equal(1);
    expect(stderr).to.equal(
      'error: the change has 1 resource losing data, 1 replacement (--fail-on data-loss,replacement)\n',
    );
  });

  it('exits 0 with --fail-on when the report has no such change', async () => {
    replaceTableKey();
    expect((await run({ failOn: parseFailOn('broadening') })).code).to.equal(0);
  });

  it('exits 2 for an unknown --fail-on kind', async () => {
    const { code, io } = await dataless('diff', '--fail-on', 'replacement,deletes');
    expect(code).to.equal(2);
    expect(io.stderr).to.equal(
      'error: --fail-on: unknown kind "deletes"; use any of replacement, data-loss, broadening, separated by commas\n',
    );
  });

  it('exits 2 naming an unknown revision', async () => {
    const { code, stderr } = await run({ base: 'no-such-branch' });
    expect(code).to.equal(2);
    expect(stderr).to.match(/^error: unknown revision "no-such-branch": name a commit, branch or tag/);
  });

  it('exits 2 for a revision without generated templates', async () => {
    rmSync(join(root, 'build.yaml'));
    rmSync(join(root, 'templates-out'), { recursive: true });
    writeFileSync(join(root, 'README'), 'nothing generated yet\n');
    commit('no templates');
    cpSync(join(projectRoot(), 'build.yaml'), join(root, 'build.yaml'));
    const { code, stderr } = await run();
    expect(code).to.equal(2);
    expect(stderr).to.match(/^error: revision HEAD has no generated templates \(templates-out\/app.yaml, build.yaml\)/);
  });

  it('exits 2 when asked to compare with a revision and a deployed stack at once', async () => {
    const { code, stderr } = await run({ base: 'HEAD', branch: 'master' });
    expect(code).to.equal(2);
    expect(stderr).to.contain('give one or the other');
  });
});

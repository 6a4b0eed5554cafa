import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from '../../src/cli/main';
import { memoryIO } from '../../src/io';
import { projectRoot } from '../../src/paths';
import { runAndPresent } from '../../src/cli/present';
import { formatValidate, validate, type ValidateOptions } from '../../src/validate';
import { run as dataless } from './run';

const BAD_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketNam: misspelled
`;

describe('dataless validate', () => {
  let root: string;

  beforeEach(() => {
    // A small repository: the bootstrap template (lint-clean), a bad template and a config folder.
    root = mkdtempSync(join(tmpdir(), 'dataless-validate-'));
    symlinkSync(join(projectRoot(), '.venv'), join(root, '.venv'));
    copyFileSync(join(projectRoot(), 'build.yaml'), join(root, 'build.yaml'));
    mkdirSync(join(root, 'templates-out'));
    writeFileSync(join(root, 'templates-out', 'bad.yaml'), BAD_TEMPLATE);
    mkdirSync(join(root, 'config'));
    copyFileSync(join(projectRoot(), 'config', 'schema.json'), join(root, 'config', 'schema.json'));
    writeConfig('master', '{\n  "Parameters": {\n    "DeploymentPreference": "AllAtOnce"\n  }\n}\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const writeConfig = (branch: string, text: string) => writeFileSync(join(root, 'config', `${branch}.json`), text);

  /** Runs the action and presents its result as the CLI would, and maps its error to the exit status the CLI reports. */
  const run = async ({ json = false, ...options }: Partial<ValidateOptions> & { json?: boolean }) => {
    const io = memoryIO();
    let code = 0;
    try {
      // The security scan has tests of its own (test/validate/scan.test.ts); these are about configs and cfn-lint.
      await runAndPresent(io, () => validate({ root, templates: ['build.yaml'], scan: false, ...options }, io), {
        json,
        text: formatValidate,
      });
    } catch (error) {
      code = report(error, io, false);
    }
    return { code, io };
  };

  const cli = (...args: string[]) => dataless('validate', ...args);

  describe('exit status', () => {
    it('is 0 when every config and template is clean, and stdout stays empty', async () => {
      const { code, io } = await run({});
      expect(code).to.equal(0);
      expect(io.stdout).to.equal('');
      expect(io.stderr).to.contain('validate: checking 1 config file');
      expect(io.stderr).to.contain('validate: 1 config file and 1 template, 0 problems, 0 errors, 0 warnings');
    });

    it('is 1 when cfn-lint finds something, printed as file:line:col rule message', async () => {
      const { code, io } = await run({ templates: ['build.yaml', 'templates-out/bad.yaml'] });
      expect(code).to.equal(1);
      expect(io.stdout).to.match(/^templates-out\/bad\.yaml:6:7 E3002 .*BucketNam/m);
      expect(io.stderr).to.contain('error: cfn-lint reported 1 finding in 1 template');
    });

    it('is 2 for a bad config, printing its problems with line and column', async () => {
      writeConfig('feature', '{\n  "Parameters": {\n    "DNSDomainName": "example.com",\n    "Stgae": "Dev"\n  }\n}\n');
      const { code, io } = await run({});
      expect(code).to.equal(2);
      expect(io.stdout.trim().split('\n')).to.deep.equal([
        'config/feature.json:3:22 config-dns-pair Parameters.BaseDNSName: is empty while DNSDomainName is "example.com"; DNS needs both: set BaseDNSName to "example.com" or a name under it such as "api.example.com", or leave DNSDomainName empty too',
        'config/feature.json:4:5 config-unknown-parameter Parameters.Stgae: unknown parameter; did you mean Stage?',
      ]);
      expect(io.stderr).to.contain('error: 2 config problems in config/feature.json (2); fix each one listed');
    });

    it('is 2 for a bad config even when cfn-lint also finds something, and prints both', async () => {
      writeConfig('master', '{"Parameters": {"CodeBucket": "mine"}}');
      const { code, io } = await run({ templates: ['templates-out/bad.yaml'] });
      expect(code).to.equal(2);
      expect(io.stdout).to.contain(
        'config/master.json:1:17 config-build-parameter Parameters.CodeBucket: is filled in by the build',
      );
      expect(io.stdout).to.contain('templates-out/bad.yaml:6:7 E3002');
      expect(io.stderr).to.contain('cfn-lint also reported 1 finding');
    });

    it('is 2 for a bad config even when cfn-lint cannot run, and says why it did not', async () => {
      writeConfig('master', '{"Parameters": {"Stage": "a b"}}');
      const { code, io } = await run({ templates: ['templates-out/missing.yaml'] });
      expect(code).to.equal(2);
      expect(io.stdout).to.contain('config/master.json:1:26 config-pattern Parameters.Stage: "a b" does not match');
      expect(io.stderr).to.contain('cfn-lint did not run: templates-out/missing.yaml does not exist');
    });

    it('is 1 when cfn-lint cannot run and the configs are good', async () => {
      const { code, io } = await run({ templates: ['templates-out/missing.yaml'] });
      expect(code).to.equal(1);
      expect(io.stderr).to.contain('error: templates-out/missing.yaml does not exist: run `npx dataless synth` first');
    });

    it('is 2 for malformed JSON, pointing at the error', async () => {
      writeConfig('master', '{\n  "Parameters": {\n    "Stage": "Dev",\n  }\n}\n');
      const { code, io } = await run({});
      expect(code).to.equal(2);
      expect(io.stdout).to.equal(
        'config/master.json:4:3 config-syntax not valid JSON: a trailing comma before } is not allowed in JSON\n',
      );
    });

    it('is 2 for a branch without a config file, naming the path and the branches there are', async () => {
      writeConfig('dev', '{"Parameters": {}}');
      const { code, io } = await run({ branch: 'feature' });
      expect(code).to.equal(2);
      expect(io.stderr).to.contain(
        'error: config/feature.json does not exist (the branches with a config are dev, master)',
      );
      expect(io.stderr).not.to.contain('linting');
    });

    it('is 2 for a branch name that cannot name a file', async () => {
      const { code, io } = await cli('--branch', '../secrets');
      expect(code).to.equal(2);
      expect(io.stderr).to.contain('branch name "../secrets" cannot name a config file');
    });
  });

  describe('which configs it checks', () => {
    it('checks every config file but the schema without --branch', async () => {
      writeConfig('dev', '{"Parameters": {"Stage": "Dev"}}');
      const { io } = await run({ json: true });
      expect(JSON.parse(io.stdout).configs.map((c: { file: string }) => c.file)).to.deep.equal([
        'config/dev.json',
        'config/master.json',
      ]);
    });

    it('checks only config/NAME.json with --branch', async () => {
      writeConfig('dev', 'not json');
      const { code, io } = await run({ branch: 'master', json: true });
      expect(code).to.equal(0);
      expect(JSON.parse(io.stdout).configs.map((c: { file: string }) => c.file)).to.deep.equal(['config/master.json']);
    });

    it('warns when there is no config file at all, and still lints', async () => {
      rmSync(join(root, 'config', 'master.json'));
      const { code, io } = await run({});
      expect(code).to.equal(0);
      expect(io.stderr).to.contain('validate: warning: no config files under config/');
      expect(io.stderr).to.contain('linting 1 template');
    });
  });

  describe('--json', () => {
    it('prints configs with their problems, the templates and the findings as data on stdout', async () => {
      writeConfig('feature', '{"Parameters": {"EMRCoreInstanceCount": 0}}');
      const { code, io } = await run({ json: true, templates: ['build.yaml', 'templates-out/bad.yaml'] });
      expect(code).to.equal(2);
      const data = JSON.parse(io.stdout);
      expect(Object.keys(data)).to.deep.equal(['configs', 'templates', 'findings', 'scanFindings']);
      expect(data.configs).to.deep.equal([
        {
          branch: 'feature',
          file: 'config/feature.json',
          problems: [
            {
              file: 'config/feature.json',
              path: 'Parameters.EMRCoreInstanceCount',
              rule: 'config-range',
              message:
                '0 is below the minimum 1; use a whole number from 1 to 256 (or the same number as a string, such as "1")',
              line: 1,
              column: 41,
            },
          ],
        },
        { branch: 'master', file: 'config/master.json', problems: [] },
      ]);
      expect(data.templates).to.deep.equal(['build.yaml', 'templates-out/bad.yaml']);
      expect(data.findings).to.have.length(1);
      expect(data.findings[0]).to.include({
        file: 'templates-out/bad.yaml',
        line: 6,
        column: 7,
        rule: 'E3002',
        level: 'Error',
      });
    });
  });

  it('writes nothing', async () => {
    const before = readdirSync(root, { recursive: true }).sort();
    await run({ templates: ['build.yaml', 'templates-out/bad.yaml'] });
    expect(readdirSync(root, { recursive: true }).sort()).to.deep.equal(before);
  });

  describe('the command line', () => {
    it('passes on the committed configs and templates (the scan of them is the last step of npm test)', async function () {
      // cfn-lint over every template takes seconds, more on a busy machine.
      this.timeout(90_000);
      const { code, io } = await cli('--branch', 'master', '--no-scan');
      expect(code, io.stdout + io.stderr).to.equal(0);
      expect(io.stderr).to.match(
        /validate: 1 config file and \d+ templates, 0 problems, 0 errors, 0 warnings, security scan not run/,
      );
    });

    it('documents --branch, --json and the exit statuses in --help', async () => {
      const { code, io } = await cli('--help');
      expect(code).to.equal(0);
      expect(io.stdout).to.contain('--branch <name>');
      expect(io.stdout).to.contain('--json');
      const help = io.stdout.replace(/\s+/g, ' ');
      expect(help).to.contain(
        'exit 0 clean, 1 lint findings or failed security checks, 2 bad usage or config problems',
      );
      expect(help).to.contain('--no-scan');
      expect(help).to.contain('file:line:col rule message');
      expect(help).to.contain('writes nothing');
    });

    it('refuses an unknown option with exit 2', async () => {
      const { code, io } = await cli('--bogus');
      expect(code).to.equal(2);
      expect(io.stderr).to.contain("unknown option '--bogus'");
    });
  });
});

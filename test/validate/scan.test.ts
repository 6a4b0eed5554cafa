import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTemplate } from '../../src/cfn/yaml';
import { ValidationError } from '../../src/errors';
import { memoryIO } from '../../src/io';
import { projectRoot } from '../../src/paths';
import { stacks } from '../../src/stacks';
import { runAndPresent } from '../../src/cli/present';
import { formatValidate, validate } from '../../src/validate';
import { everyConditionOn, formatScanFinding, scanTemplates } from '../../src/validate/scan';
import { failure } from '../support/failure';

// Log groups and checkov's CKV_AWS_158 (a log group needs a KMS key): one
// without a key, one whose key a condition can take away (checkov reads an
// Fn::If as a value it cannot judge), one that skips the check.
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  LogsKey:
    Type: String
    Default: 'on'
Conditions:
  Unencrypted: !Equals [!Ref LogsKey, 'off']
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 30
  KeyedLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 30
      KmsKeyId: !If [Unencrypted, !Ref AWS::NoValue, !Sub 'arn:aws:kms:\${AWS::Region}:\${AWS::AccountId}:key/example']
  SkippedLogs:
    Type: AWS::Logs::LogGroup
    Metadata:
      checkov:
        skip:
          - id: CKV_AWS_158
            comment: operational lines only
    Properties:
      RetentionInDays: 30
`;

describe('the security scan', function () {
  // checkov starts in seconds, more on a busy machine.
  this.timeout(120_000);

  describe('the variant with every condition on', () => {
    it("makes every condition hold and drops the resources' and outputs' conditions, leaving the rest as it was", () => {
      const template = parseTemplate(TEMPLATE, 'fixture.yaml') as Record<string, any>;
      template.Resources.SkippedLogs.Condition = 'Unencrypted';
      template.Outputs = { Name: { Condition: 'Unencrypted', Value: { Ref: 'KeyedLogs' } } };
      const variant = everyConditionOn(template) as Record<string, any>;
      expect(variant.Conditions).to.deep.equal({ Unencrypted: { 'Fn::Equals': ['on', 'on'] } });
      expect(Object.values(variant.Resources).map((r: any) => r.Condition)).to.deep.equal([
        undefined,
        undefined,
        undefined,
      ]);
      expect(variant.Resources.KeyedLogs.Properties).to.deep.equal({ RetentionInDays: 30 });
      expect(variant.Outputs.Name).to.deep.equal({ Value: { Ref: 'KeyedLogs' } });
      expect(template.Resources.SkippedLogs.Condition, 'the original is untouched').to.equal('Unencrypted');
      expect(variant.Resources.SkippedLogs.Metadata).to.deep.equal(template.Resources.SkippedLogs.Metadata);
    });
  });

  describe('over a template (checkov)', () => {
    let root: string;
    before(() => {
      root = mkdtempSync(join(tmpdir(), 'dataless-scan-'));
      symlinkSync(join(projectRoot(), '.venv'), join(root, '.venv'));
      mkdirSync(join(root, 'templates-out'));
      writeFileSync(join(root, 'templates-out', 'logs.yaml'), TEMPLATE);
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('reports a failed check as shipped and with every condition on, a key a condition takes away only in the second, and honours a skip', async () => {
      const result = await scanTemplates({ root, templates: ['templates-out/logs.yaml'] });
      expect(result.findings.map((f) => [f.variant, f.resource, f.check])).to.deep.equal([
        ['as shipped', 'Logs', 'CKV_AWS_158'],
        ['every condition on', 'KeyedLogs', 'CKV_AWS_158'],
        ['every condition on', 'Logs', 'CKV_AWS_158'],
      ]);
      expect(result.skipped).to.equal(2);
      expect(result.findings.map(formatScanFinding)[0]).to.equal(
        'templates-out/logs.yaml:9 CKV_AWS_158 Logs: Ensure that CloudWatch Log Group is encrypted by KMS',
      );
      expect(result.findings.map(formatScanFinding)[1]).to.equal(
        'templates-out/logs.yaml (every condition on) CKV_AWS_158 KeyedLogs: Ensure that CloudWatch Log Group is encrypted by KMS',
      );
    });

    it('fails dataless validate with exit 1, printing each failed check', async () => {
      mkdirSync(join(root, 'config'), { recursive: true });
      const io = memoryIO();
      const error = await failure(
        runAndPresent(io, () => validate({ root, templates: ['templates-out/logs.yaml'] }, io), {
          text: formatValidate,
        }),
      );
      expect(error).to.be.instanceOf(ValidationError);
      expect(error).to.include({ code: 'SCAN_FINDINGS', exitCode: 1 });
      expect(error.message).to.equal(
        "checkov reported 3 failed checks in 1 template; fix each one, or skip a deliberate one in the resource's scanExceptions with the reason",
      );
      expect(io.stdout.trim().split('\n')).to.have.length(3);
    });

    it('names the setup script when checkov is not installed', async () => {
      const bare = mkdtempSync(join(tmpdir(), 'dataless-scan-bare-'));
      try {
        const error = await failure(scanTemplates({ root: bare, templates: [], env: { PATH: '' } }));
        expect(error).to.include({ code: 'CHECKOV_MISSING' });
        expect(error.message).to.equal(
          'checkov is not installed: run `bash scripts/setup-python.sh` (or `npm test`, which runs it) to install it into .venv',
        );
      } finally {
        rmSync(bare, { recursive: true, force: true });
      }
    });
  });

  describe('the generated templates', () => {
    const skips = stacks.flatMap((stack) => {
      const template = parseTemplate(readFileSync(join(projectRoot(), stack.path), 'utf8'), stack.path) as Record<
        string,
        any
      >;
      return Object.entries(template.Resources as Record<string, any>).flatMap(([id, resource]) =>
        ((resource.Metadata?.checkov?.skip ?? []) as Array<{ id: string; comment?: string }>).map((skip) => ({
          file: stack.path,
          resource: id,
          ...skip,
        })),
      );
    });

    it('skip checks only with a one-line reason each', () => {
      expect(skips.length).to.be.greaterThan(0);
      for (const skip of skips) {
        expect(skip.comment?.trim(), `${skip.file} ${skip.resource} ${skip.id}`).to.match(/^\S.{20,}$/);
        expect(skip.comment).not.to.contain('\n');
      }
    });

    it('list every skipped check in docs/security.md with the resources that skip it', () => {
      const doc = readFileSync(join(projectRoot(), 'docs', 'security.md'), 'utf8');
      const missing = skips
        .filter((s) => !new RegExp(`\\b${s.id}\\b[^\\n]*\\b${s.resource}\\b`).test(doc))
        .map((s) => `${s.id} ${s.resource}`);
      expect([...new Set(missing)], 'add each to the table of skips in docs/security.md').to.deep.equal([]);
    });
  });
});

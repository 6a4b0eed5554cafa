import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { report } from '../../src/cli/main';
import { ConfigError, DatalessError, errorCodes, ValidationError } from '../../src/errors';
import { memoryIO } from '../../src/io';
import { projectRoot } from '../../src/paths';
import { run } from './run';

/** Every TypeScript file under src/, with its text. */
function sources(dir = join(projectRoot(), 'src')): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [{ file: path, text: readFileSync(path, 'utf8') }] : [];
  });
}

describe('error codes', () => {
  describe('the one list in src/errors.ts', () => {
    it('is what the compiler accepts: an unknown code, or a code of the wrong exit status, does not compile', () => {
      // Never called: the type-check (npm run typecheck) is what refuses it.
      const compileOnly = () => {
        // @ts-expect-error -- not a declared code
        return new DatalessError('x', { code: 'NO_SUCH_CODE' });
      };
      // @ts-expect-error -- LINT_FINDINGS exits 1, and a ConfigError exits 2: allowed, it would exit 1
      const wrongStatus = new ConfigError('x', 'LINT_FINDINGS');
      expect(wrongStatus.exitCode).to.equal(1);
      expect(compileOnly).to.be.a('function');
    });

    it('gives the exit status: a code declared with exit 2 ends the process with 2', () => {
      expect(new ConfigError('x', 'PARAMETER_MISSING').exitCode).to.equal(2);
      expect(new ValidationError('x', 'SYNTH_STALE').exitCode).to.equal(1);
      expect(new DatalessError('x', { code: 'USAGE' }).exitCode).to.equal(errorCodes.USAGE.exitCode);
    });

    it('holds only codes that some code under src/ raises (or defaults to)', () => {
      const declaration = readFileSync(join(projectRoot(), 'src', 'errors.ts'), 'utf8');
      const rest = declaration.slice(declaration.indexOf('} as const satisfies'));
      const texts = [
        rest,
        ...sources()
          .filter((s) => !s.file.endsWith(join('src', 'errors.ts')))
          .map((s) => s.text),
      ];
      const unused = Object.keys(errorCodes).filter((code) => !texts.some((text) => text.includes(`'${code}'`)));
      expect(unused).to.deep.equal([]);
    });

    it('gives each code a one-line meaning', () => {
      for (const [code, info] of Object.entries(errorCodes)) {
        expect(info.meaning, code).to.match(/^[a-zA-Z`][^\n]+$/);
      }
    });
  });

  describe('dataless --json, when the command fails', () => {
    it('prints one JSON document on stdout with the code, message and exit status, and keeps the one-line message on stderr', async () => {
      const { code, io } = await run('package', '--branch', 'no-such-branch', '--bucket', 'artifacts', '--json');
      expect(code).to.equal(2);
      const document = JSON.parse(io.stdout) as { error: { code: string; message: string; exitCode: number } };
      expect(document.error.code).to.equal('CONFIG_MISSING');
      expect(document.error.exitCode).to.equal(2);
      expect(document.error.message).to.match(/^config\/no-such-branch\.json does not exist/);
      expect(io.stderr).to.equal(`error: ${document.error.message}\n`);
    });

    it('answers a usage error found while parsing in JSON too, with the code USAGE and exit status 2', async () => {
      const { code, io } = await run('package', '--bucket', 'artifacts', '--json');
      expect(code).to.equal(2);
      expect(JSON.parse(io.stdout)).to.deep.equal({
        error: { code: 'USAGE', message: "required option '--branch <name>' not specified", exitCode: 2 },
      });
    });

    it('adds the error beside the result when the command printed its result before failing', () => {
      const io = memoryIO();
      const held = `${JSON.stringify({ findings: [{ rule: 'E3002' }] }, null, 2)}\n`;
      const exit = report(
        new ValidationError('cfn-lint reported 1 finding in 1 template', 'LINT_FINDINGS'),
        io,
        false,
        held,
      );
      expect(exit).to.equal(1);
      expect(JSON.parse(io.stdout)).to.deep.equal({
        findings: [{ rule: 'E3002' }],
        error: { code: 'LINT_FINDINGS', message: 'cfn-lint reported 1 finding in 1 template', exitCode: 1 },
      });
    });

    it('names an unanticipated failure UNEXPECTED', () => {
      const io = memoryIO();
      expect(report(new Error('boom'), io, false, '')).to.equal(1);
      expect(JSON.parse(io.stdout)).to.deep.equal({
        error: { code: 'UNEXPECTED', message: 'unexpected failure: boom', exitCode: 1 },
      });
    });
  });

  describe('without --json', () => {
    it('prints nothing on stdout and the one-line message on stderr, with no code', async () => {
      const { code, io } = await run('package', '--branch', 'no-such-branch', '--bucket', 'artifacts');
      expect(code).to.equal(2);
      expect(io.stdout).to.equal('');
      expect(io.stderr).to.match(/^error: config\/no-such-branch\.json does not exist[^\n]*\n$/);
    });

    it('prints the code, its exit status and meaning beside the stack trace with --debug', async () => {
      const { io } = await run('--debug', 'package', '--branch', 'no-such-branch', '--bucket', 'artifacts');
      const lines = io.stderr.split('\n');
      expect(lines[1]).to.equal(`code: CONFIG_MISSING (exit 2): ${errorCodes.CONFIG_MISSING.meaning}`);
      expect(lines[2]).to.match(/^ConfigError: config\/no-such-branch\.json does not exist/);
    });
  });
});

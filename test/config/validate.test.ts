import { expect } from 'chai';
import type { ConfigProblem } from '../../src/config/problems';
import { formatProblem } from '../../src/config/problems';
import { ConfigValidator } from '../../src/config/validate';
import { configText, fixtureTemplate } from './fixture';

const FILE = 'config/feature.json';
const validator = new ConfigValidator(fixtureTemplate());
const check = (text: string) => validator.check(FILE, text);
const problems = (text: string): ConfigProblem[] => [...check(text).problems];
const only = (text: string): ConfigProblem => {
  const found = problems(text);
  expect(found, found.map(formatProblem).join('\n')).to.have.length(1);
  return found[0]!;
};

describe('config validation', () => {
  describe('a good file', () => {
    it('has no problems and hands back the values it sets, as text', () => {
      const result = check(
        configText({ Stage: 'Dev', CoreCount: 4, MasterCount: '3', DeploymentPreference: 'AllAtOnce' }),
      );
      expect(result.problems).to.deep.equal([]);
      expect(result.parameters).to.deep.equal({
        Owner: 'data',
        Stage: 'Dev',
        CoreCount: '4',
        MasterCount: '3',
        DeploymentPreference: 'AllAtOnce',
      });
    });

    it('writes a numeric string of a Number parameter in one spelling', () => {
      expect(check(configText({ CoreCount: ' 2.0 ' })).parameters.CoreCount).to.equal('2');
    });

    it('accepts a byte order mark at the start', () => {
      expect(problems(`\uFEFF${configText({})}`)).to.deep.equal([]);
    });

    it('hands back no values when there are problems', () => {
      expect(check(configText({ Stage: 'a b' })).parameters).to.deep.equal({});
    });
  });

  describe('the file as a whole', () => {
    it('refuses malformed JSON with the line and column of the error', () => {
      const p = only('{\n  "Parameters": {\n    "Stage": "Dev",\n  }\n}\n');
      expect(p).to.include({ file: FILE, path: '', rule: 'config-syntax', line: 4, column: 3 });
      expect(p.message).to.match(/^not valid JSON: a trailing comma before \} is not allowed/);
      expect(formatProblem(p)).to.equal(
        `${FILE}:4:3 config-syntax not valid JSON: a trailing comma before } is not allowed in JSON`,
      );
    });

    it('refuses an empty file', () => {
      const p = only(' \n');
      expect(p).to.include({ rule: 'config-empty', line: 1, column: 1 });
      expect(p.message).to.equal('the file is empty; it must hold a JSON object such as {"Parameters": {}}');
    });

    it('refuses a top level that is not an object, naming what it is', () => {
      const p = only('["Stage", "Dev"]');
      expect(p.rule).to.equal('config-not-object');
      expect(p.message).to.equal(
        'the top level is an array (["Stage","Dev"]); it must be an object such as {"Parameters": {}}',
      );
    });

    it('refuses a missing Parameters', () => {
      const p = only('{"$schema": "./schema.json"}');
      expect(p).to.include({ rule: 'config-missing-parameters', path: '', line: 1, column: 1 });
      expect(p.message).to.equal(
        'Parameters is missing; add "Parameters": {} (a parameter left out takes its default)',
      );
    });

    it('suggests the right spelling of a misspelled Parameters', () => {
      const p = only('{\n  "Parametres": {"Owner": "data"}\n}');
      expect(p).to.include({ rule: 'config-missing-parameters', path: 'Parametres', line: 2, column: 3 });
      expect(p.message).to.equal('is not a known key and Parameters is missing: rename "Parametres" to "Parameters"');
    });

    it('refuses other top-level keys, saying that parameters go inside Parameters', () => {
      const p = only(configText({}, { Stage: 'Dev' }));
      expect(p).to.include({ rule: 'config-unknown-key', path: 'Stage' });
      expect(p.message).to.contain(
        'only "$schema" and "Parameters" belong at the top level; parameters go inside "Parameters"',
      );
    });

    it('refuses a $schema that is not a string', () => {
      const p = only(configText({}, { $schema: 7 }));
      expect(p).to.include({ rule: 'config-type', path: '$schema' });
      expect(p.message).to.equal('7 is a number; use the schema\'s path as a string, such as "./schema.json"');
    });

    it('refuses Parameters that is not an object', () => {
      const p = only('{"Parameters": ["Stage"]}');
      expect(p).to.include({ rule: 'config-not-object', path: 'Parameters', line: 1, column: 16 });
      expect(p.message).to.contain('["Stage"] is an array; Parameters must be an object of parameter names to values');
    });

    it('refuses a key given twice, naming the line of the first', () => {
      const p = only('{\n"Parameters": {\n"Owner": "a",\n"Owner": "b"\n}\n}');
      expect(p).to.include({ rule: 'config-duplicate-key', path: 'Parameters.Owner', line: 4, column: 1 });
      expect(p.message).to.equal('is given twice (first on line 3); JSON keeps only the last one, so remove the other');
    });

    it('reports every problem at once, in file order', () => {
      const found = problems(configText({ Stgae: 'x', CoreCount: 0, DeploymentPreference: 'Fast' }));
      expect(found.map((p) => p.path)).to.deep.equal([
        'Parameters.Stgae',
        'Parameters.CoreCount',
        'Parameters.DeploymentPreference',
      ]);
      expect(found.map((p) => p.line)).to.deep.equal([5, 6, 7]);
    });
  });

  describe('parameter names', () => {
    it('refuses an unknown parameter and suggests the closest known name', () => {
      const p = only(configText({ BaseDNSNmae: 'api.example.com' }));
      expect(p).to.include({ rule: 'config-unknown-parameter', path: 'Parameters.BaseDNSNmae', line: 5, column: 5 });
      expect(p.message).to.equal('unknown parameter; did you mean BaseDNSName?');
    });

    it('lists the known names when none is close', () => {
      const p = only(configText({ Tags: 'x' }));
      expect(p.message).to.match(
        /^unknown parameter; the template's parameters are Stage, DeploymentPreference, Nickname, /,
      );
      expect(p.message).not.to.contain('CodeBucket');
    });

    it('refuses a parameter the build fills in, saying so', () => {
      const p = only(configText({ CodeBucket: 'my-bucket' }));
      expect(p).to.include({ rule: 'config-build-parameter', path: 'Parameters.CodeBucket' });
      expect(p.message).to.equal(
        'is filled in by the build, not by the config file (as are CodeBucket, Build); remove it',
      );
    });

    it('refuses a file without a parameter that has no default', () => {
      const p = only('{\n  "Parameters": {}\n}');
      expect(p).to.include({ rule: 'config-required', path: 'Parameters.Owner', line: 2, column: 3 });
      expect(p.message).to.equal('is required, as it has no default (Team that owns the stack.); set it to text');
    });
  });

  describe('parameter values', () => {
    it('refuses a number for a String parameter and shows it quoted', () => {
      const p = only(configText({ Stage: 5 }));
      expect(p).to.include({ rule: 'config-type', path: 'Parameters.Stage' });
      expect(p.message).to.equal(
        '5 is a number, but Stage takes text: write it in quotes, "5"; allowed is text matching ^[A-Za-z0-9_-]{1,128}$ (a stage name is letters, digits, hyphens or underscores)',
      );
    });

    it('refuses null, arrays and objects for a String parameter', () => {
      expect(only(configText({ Owner: null })).message).to.equal('is null; use text');
      expect(only(configText({ Owner: ['a'] })).message).to.equal('["a"] is an array; use text');
    });

    it('refuses a value outside the allowed values, suggesting the closest', () => {
      const p = only(configText({ DeploymentPreference: 'Linear10PercentEvery1Minutes' }));
      expect(p).to.include({ rule: 'config-allowed-values', path: 'Parameters.DeploymentPreference' });
      expect(p.message).to.equal(
        '"Linear10PercentEvery1Minutes" is not allowed (did you mean "Linear10PercentEvery1Minute"?); use one of "Canary10Percent5Minutes", "Linear10PercentEvery1Minute", "AllAtOnce"',
      );
    });

    it('accepts an allowed value', () => {
      expect(problems(configText({ DeploymentPreference: 'AllAtOnce' }))).to.deep.equal([]);
    });

    it('refuses a value that does not match the pattern, with the constraint in words', () => {
      const p = only(configText({ Stage: 'my stage' }));
      expect(p).to.include({ rule: 'config-pattern', path: 'Parameters.Stage' });
      expect(p.message).to.equal(
        '"my stage" does not match ^[A-Za-z0-9_-]{1,128}$: a stage name is letters, digits, hyphens or underscores',
      );
    });

    it('matches the pattern against the whole value, as CloudFormation does', () => {
      const v = new ConfigValidator(
        fixtureTemplate({
          Stage: { type: 'String', description: 'Stage.', default: 'Prod', allowedPattern: '[a-z]+' },
        }),
      );
      expect(v.check(FILE, configText({ Stage: 'dev' })).problems).to.deep.equal([]);
      expect(v.check(FILE, configText({ Stage: 'dev1' })).problems[0]!.message).to.equal(
        '"dev1" does not match ^(?:[a-z]+)$',
      );
    });

    it('refuses a value that is too short or too long', () => {
      expect(only(configText({ Nickname: 'ab' })).message).to.equal('"ab" is 2 characters long; use 3 to 8 characters');
      expect(only(configText({ Nickname: 'abcdefghi' }))).to.include({
        rule: 'config-length',
        message: '"abcdefghi" is 9 characters long; use 3 to 8 characters',
      });
      expect(problems(configText({ Nickname: 'abcd' }))).to.deep.equal([]);
    });

    it('never repeats the value of a NoEcho parameter', () => {
      const p = only(configText({ SecretAccessKey: 'not a key!', AccessKeyID: 'AKIA' }));
      expect(p).to.include({ rule: 'config-pattern', path: 'Parameters.SecretAccessKey' });
      expect(p.message).to.equal('the value given (hidden: NoEcho) does not match ^[A-Za-z0-9/+=]*$');
      expect(formatProblem(p)).not.to.contain('not a key!');
    });

    describe('of a Number parameter', () => {
      it('accepts a number or a numeric string within the range', () => {
        expect(problems(configText({ CoreCount: 256 }))).to.deep.equal([]);
        expect(problems(configText({ CoreCount: '1' }))).to.deep.equal([]);
      });

      it('refuses a number below the minimum', () => {
        const p = only(configText({ CoreCount: 0 }));
        expect(p).to.include({ rule: 'config-range', path: 'Parameters.CoreCount' });
        expect(p.message).to.equal(
          '0 is below the minimum 1; use a number from 1 to 256 (or the same number as a string, such as "1")',
        );
      });

      it('refuses a numeric string above the maximum', () => {
        const p = only(configText({ CoreCount: '300' }));
        expect(p.message).to.equal(
          '"300" is above the maximum 256; use a number from 1 to 256 (or the same number as a string, such as "1")',
        );
      });

      it('refuses text that is not a number', () => {
        const p = only(configText({ CoreCount: 'two' }));
        expect(p).to.include({ rule: 'config-type' });
        expect(p.message).to.equal(
          '"two" is not a number; use a number from 1 to 256 (or the same number as a string, such as "1")',
        );
      });

      it('refuses a fraction, or its numeric string, where the parameter takes whole numbers', () => {
        // given a count declared integer
        const counting = new ConfigValidator(
          fixtureTemplate({
            CoreCount: {
              type: 'Number',
              description: 'Number of core nodes.',
              default: 1,
              minValue: 1,
              maxValue: 256,
              integer: true,
            },
          }),
        );
        const found = (parameters: Record<string, unknown>) => [
          ...counting.check(FILE, configText(parameters)).problems,
        ];
        // then fractions are refused in either form and whole numbers pass
        expect(found({ CoreCount: 1.5 }).map((p) => p.message)).to.deep.equal([
          '1.5 is not a whole number; use a whole number from 1 to 256 (or the same number as a string, such as "1")',
        ]);
        expect(found({ CoreCount: '2.5' }).map((p) => p.rule)).to.deep.equal(['config-type']);
        expect(found({ CoreCount: 2 })).to.deep.equal([]);
        expect(found({ CoreCount: '2' })).to.deep.equal([]);
        // and a plain Number parameter still takes fractions
        expect(problems(configText({ CoreCount: 1.5 }))).to.deep.equal([]);
      });

      it('refuses a boolean', () => {
        expect(only(configText({ CoreCount: true })).message).to.equal(
          'true is a boolean; use a number from 1 to 256 (or the same number as a string, such as "1")',
        );
      });

      it('refuses a number outside its allowed values', () => {
        const p = only(configText({ MasterCount: 2 }));
        expect(p).to.include({ rule: 'config-allowed-values', message: '2 is not allowed; use one of 1, 3' });
      });
    });
  });
});

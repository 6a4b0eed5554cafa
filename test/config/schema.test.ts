import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import {
  anchoredPattern,
  configSchema,
  renderSchema,
  schemaFiles,
  SCHEMA_DIALECT,
  SCHEMA_PATH,
} from '../../src/config/schema';
import { projectRoot } from '../../src/paths';
import { fixtureTemplate } from './fixture';

type Schema = Record<string, any>;
const parametersOf = (schema: Schema): Schema => schema.properties.Parameters;

describe('config schema', () => {
  describe('generated from the parameter declarations', () => {
    const schema: Schema = configSchema(fixtureTemplate());
    const properties = parametersOf(schema).properties;

    it('is a draft-07 object schema that allows only $schema and Parameters', () => {
      expect(schema.$schema).to.equal(SCHEMA_DIALECT);
      expect(schema.type).to.equal('object');
      expect(Object.keys(schema.properties)).to.deep.equal(['$schema', 'Parameters']);
      expect(schema.required).to.deep.equal(['Parameters']);
      expect(schema.additionalProperties).to.equal(false);
      expect(parametersOf(schema).additionalProperties).to.equal(false);
    });

    it('names the declaring module', () => {
      expect(schema.$comment).to.contain('test/config/fixture.ts');
    });

    it('lists the parameters in declaration order', () => {
      expect(Object.keys(properties).slice(0, 5)).to.deep.equal([
        'CodeBucket',
        'Build',
        'Stage',
        'DeploymentPreference',
        'Nickname',
      ]);
    });

    it('carries the label, description, pattern (anchored) and default of a String parameter', () => {
      expect(properties.Stage).to.deep.equal({
        title: 'API stage',
        description: 'API stage.',
        type: 'string',
        pattern: '^[A-Za-z0-9_-]{1,128}$',
        default: 'Prod',
      });
    });

    it('turns allowed values into an enum and lengths into minLength and maxLength', () => {
      expect(properties.DeploymentPreference.enum).to.deep.equal([
        'Canary10Percent5Minutes',
        'Linear10PercentEvery1Minute',
        'AllAtOnce',
      ]);
      expect(properties.Nickname).to.include({ minLength: 3, maxLength: 8 });
    });

    it('lets a Number parameter be a number within its range or a numeric string', () => {
      expect(properties.CoreCount.anyOf).to.deep.equal([
        { type: 'number', minimum: 1, maximum: 256 },
        { type: 'string', pattern: '^[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$' },
      ]);
      expect(properties.CoreCount.default).to.equal(1);
      expect(properties.MasterCount.anyOf[0]).to.deep.equal({ type: 'number', enum: [1, 3] });
    });

    it('refuses any value for a parameter the build fills in, and says so in its description', () => {
      expect(properties.CodeBucket).to.deep.equal({
        description: 'Leave this out: the build fills it in. Bucket of the packaged code.',
        not: {},
      });
    });

    it('requires the config parameters that have no default, and only those', () => {
      expect(parametersOf(schema).required).to.deep.equal(['Owner']);
    });

    it('compiles in ajv strict mode', () => {
      expect(() => new Ajv({ strict: true, allErrors: true }).compile(schema)).not.to.throw();
    });
  });

  describe('follows the declarations', () => {
    it('changes when a declaration changes', () => {
      const before: Schema = configSchema(fixtureTemplate());
      const after: Schema = configSchema(
        fixtureTemplate({
          CoreCount: { type: 'Number', description: 'Core nodes, now fewer.', default: 2, minValue: 2, maxValue: 10 },
        }),
      );
      expect(parametersOf(after).properties.CoreCount.anyOf[0]).to.deep.equal({
        type: 'number',
        minimum: 2,
        maximum: 10,
      });
      expect(parametersOf(after).properties.CoreCount.description).to.equal('Core nodes, now fewer.');
      expect(renderSchema(after)).not.to.equal(renderSchema(before));
    });

    it('drops a parameter that is no longer declared and adds a new one', () => {
      const schema: Schema = configSchema(
        fixtureTemplate({
          Nickname: undefined,
          Region: { type: 'String', description: 'Region.', default: 'us-east-1' },
        }),
      );
      expect(parametersOf(schema).properties).not.to.have.property('Nickname');
      expect(parametersOf(schema).properties.Region).to.deep.equal({
        description: 'Region.',
        type: 'string',
        default: 'us-east-1',
      });
    });

    it('no longer requires a parameter once it has a default', () => {
      const schema: Schema = configSchema(
        fixtureTemplate({ Owner: { type: 'String', description: 'Team.', default: 'data' } }),
      );
      expect(parametersOf(schema)).not.to.have.property('required');
    });
  });

  describe('anchoredPattern', () => {
    it('keeps a pattern anchored at both ends', () => {
      expect(anchoredPattern('^[a-z]+$')).to.equal('^[a-z]+$');
      expect(anchoredPattern('^(a|b)$')).to.equal('^(a|b)$');
      expect(anchoredPattern('^[|]$')).to.equal('^[|]$');
    });

    it('anchors a pattern CloudFormation would match as a whole', () => {
      expect(anchoredPattern('[a-z]+')).to.equal('^(?:[a-z]+)$');
      expect(anchoredPattern('^$|^a$')).to.equal('^(?:^$|^a$)$');
      expect(anchoredPattern('^a\\$')).to.equal('^(?:^a\\$)$');
    });
  });

  describe('the committed file', () => {
    it('is config/schema.json, rendered with two-space indentation and a final newline', () => {
      const [file] = schemaFiles();
      expect(file!.path).to.equal(SCHEMA_PATH);
      expect(file!.content.endsWith('}\n')).to.equal(true);
      expect(file!.content).to.contain('\n  "$schema": ');
    });

    it('equals the schema generated from the root template (run `npx dataless synth` when this fails)', () => {
      const committed = readFileSync(join(projectRoot(), SCHEMA_PATH), 'utf8');
      expect(committed).to.equal(schemaFiles()[0]!.content);
    });

    it('is what config/master.json points its editor at', () => {
      const master = JSON.parse(readFileSync(join(projectRoot(), 'config', 'master.json'), 'utf8'));
      expect(master.$schema).to.equal('./schema.json');
    });
  });
});
